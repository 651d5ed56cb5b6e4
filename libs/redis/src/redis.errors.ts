import { LegworkError } from '@legwork/common';

export type RedisErrorCode = 'invalid_target';

export class RedisTargetError extends LegworkError<RedisErrorCode> {}
