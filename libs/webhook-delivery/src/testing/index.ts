export * from './hook-receiver';
export * from './webhook-scratch';
