// A Kazoo tool's view of the broker, for other projects' suites (imported as @legwork/bus/testing).
export * from './kazoo-tool';
// Throwaway RabbitMQ clusters of real nodes, for failover tests of other projects (the apps' fault suite).
export { startRabbitCluster, type ScratchRabbitCluster } from './rabbit-cluster';
