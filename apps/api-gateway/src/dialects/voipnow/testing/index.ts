export * from './voipnow-client';
