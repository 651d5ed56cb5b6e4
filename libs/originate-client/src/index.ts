export * from './origination-client';
export * from './originate-spec';
export * from './origination-client.token';
