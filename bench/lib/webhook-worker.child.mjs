/* global process */
// One webhook worker in a process of its own, for the webhooks bench: started from the environment the
// bench passes, it reports {ready} and, told to stop over IPC, {stopped, deliveries, cpuMs} before exiting
// (cpuMs: user + system CPU time the process spent since it was ready).
import legworkBus from '@legwork/bus';
import legworkDirectory from '@legwork/directory';

const delivery = (await import('@legwork/webhook-delivery').catch(() => import('../../libs/webhook-delivery/dist/index.js'))).default;
const { createBus } = legworkBus;
const { createDirectory } = legworkDirectory;
const e = process.env;

const directory = createDirectory({ url: e.REDIS_URL, prefix: e.BENCH_PREFIX, secretKeys: e.LEGWORK_SECRET_KEYS });
const bus = createBus({ url: e.AMQP_URL, appName: 'bench', nodeId: e.BENCH_NODE, namespace: e.BENCH_NAMESPACE, prefetch: 500 });
await bus.start();
const worker = new delivery.WebhookWorker({
  bus,
  directory,
  appName: 'webhooks',
  appVersion: '0.1.0',
  config: { allowedHosts: ['127.0.0.1'], concurrency: Number(e.BENCH_CONCURRENCY), partitions: Number(e.BENCH_PARTITIONS), rebalanceMs: 500 },
});
await worker.start();
const cpuAtReady = process.cpuUsage();
process.send?.({ ready: true });
process.on('message', async (msg) => {
  if (msg?.stop !== true) return;
  const cpu = process.cpuUsage(cpuAtReady);
  await worker.stop();
  await Promise.allSettled([bus.close(), directory.close()]);
  process.send?.({ stopped: true, deliveries: worker.deliveries, cpuMs: Math.round((cpu.user + cpu.system) / 1000) });
  process.disconnect();
});
