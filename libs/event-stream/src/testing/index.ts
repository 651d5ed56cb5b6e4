export * from './blackhole.client';
export * from './stream.fixture';
