export * from './endpoint-resolver';
export * from './endpoint-contacts';
export * from './endpoint-headers';
// the caller-id rules are the directory's (the gateway applies them too); re-exported for the engine's users
export { endpointCallerId, type ShownCallerId } from '@legwork/directory';
export { resolveRoute, type RouteResolution } from './route-resolver';
