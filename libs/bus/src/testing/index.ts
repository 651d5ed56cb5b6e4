// A Kazoo tool's view of the broker, for other projects' suites (imported as @legwork/bus/testing).
export * from './kazoo-tool';
