import { LegworkError } from '@legwork/common';

export type RegistrarErrorCode = 'invalid_config';

/** Misconfiguration of the registrar; what clients send always ends in a SIP reply instead. */
export class RegistrarError extends LegworkError<RegistrarErrorCode> {}
