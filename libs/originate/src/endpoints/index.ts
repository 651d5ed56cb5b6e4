export * from './endpoint-resolver';
export * from './endpoint-contacts';
export * from './endpoint-headers';
export * from './device-caller-id';
export { resolveRoute, type RouteResolution } from './route-resolver';
