export * from './hook-receiver';
export * from './webhook-scratch';
export * from './broker-relay';
