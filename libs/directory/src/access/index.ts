export { AccessPolicy, callerOf, callerOfClient, owns } from './access-policy';
export { ACCESS_RULES, OPERATIONS, type AccessRule, type Operation } from './access-rules';
export type { AccessRequest, Caller, Grant, Ownership, Role, Scope } from './access.types';
export { ADMIN_ONLY_FIELDS, selfEditBody, type SelfEditable } from './self-edit';
export { channelOwnership, type OwnershipVars } from './channel-ownership';
