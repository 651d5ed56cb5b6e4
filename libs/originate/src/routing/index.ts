export * from './e164';
export * from './gateway-target';
export * from './carrier-routes';
export * from './routing.error';
export * from './sip-user';
