export * from './incoming-invite';
export * from './incoming-request';
export * from './outgoing-invite';
export * from './sip-stack';
export { ALLOW, KNOWN_METHODS } from './request-validation';
export { type UacCredentials, authenticatedRetry, isChallenge } from './uac-auth';
