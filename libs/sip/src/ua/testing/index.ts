export * from './loopback-transport';
export * from './raw-peer';
