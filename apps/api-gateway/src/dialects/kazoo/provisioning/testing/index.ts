export * from './provisioning-client';
export * from './provisioning.suite';
