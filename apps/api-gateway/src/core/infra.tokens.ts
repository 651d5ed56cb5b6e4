/** DI tokens of what the gateway's InfraModule provides to core and every dialect (a leaf file: no imports, no cycles). */

/** `Bus` (@legwork/bus): the app's AMQP connection. */
export const BUS = Symbol('BUS');
/** `CallStore` (@legwork/call-state): live calls, limits, idempotency. */
export const CALL_STORE = Symbol('CALL_STORE');
/** `Directory` (@legwork/directory): accounts, users, devices, credentials. */
export const DIRECTORY = Symbol('DIRECTORY');
/** `CdrStore` (@legwork/cdr): the CDRs the core's writer keeps. */
export const CDR_STORE = Symbol('CDR_STORE');
/** `ApiGatewayConfig`: the environment, read once and validated at boot. */
export const APP_CONFIG = Symbol('APP_CONFIG');
/** `AppLogger` (@legwork/platform): the app's logger. */
export const APP_LOGGER = Symbol('APP_LOGGER');
