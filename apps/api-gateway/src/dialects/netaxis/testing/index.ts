export * from './netaxis-client';
