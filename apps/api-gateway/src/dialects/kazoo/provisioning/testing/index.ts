export * from './provisioning-client';
