import { LegworkError } from '@legwork/common';

export type CdrErrorCode = 'invalid_input' | 'store_unavailable';

export class CdrError extends LegworkError<CdrErrorCode> {}
