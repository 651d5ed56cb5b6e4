export * from './blackhole.client';
export * from './stream.fixture';
export * from './scratch';
export * from './until';
