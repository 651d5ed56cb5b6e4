import { waitFor } from '@legwork/common/testing';
import type { Logger } from '@legwork/common';
import { DEAD_LETTER_EXCHANGE } from '@legwork/bus';
import { connect } from 'amqplib';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { partitionQueueName, WEBHOOK_TOPOLOGY as T } from './delivery-job';
import { AMQP_URL, callEvent, HookReceiver, WebhookScratch } from './testing';
import { WebhookWorker } from './webhook-worker';

const TIERS = [100, 200];
const PARTITIONS = 4;
const scratch = new WebhookScratch(TIERS, PARTITIONS);
const receiver = new HookReceiver();
const run = promisify(execFile);

/** Every warning with the fields it was logged with. */
function warnings(): Logger & { warned: Array<{ obj: unknown; msg: string }> } {
  const warned: Array<{ obj: unknown; msg: string }> = [];
  const none = (): void => undefined;
  return { warned, debug: none, info: none, error: none, warn: (obj: object | string, msg?: string) => void warned.push({ obj, msg: msg ?? String(obj) }) };
}

async function queueTypes(prefix: string): Promise<Record<string, string>> {
  const { stdout } = await run('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', 'name', 'type']);
  return Object.fromEntries(stdout.split('\n').map((l) => l.split('\t')).filter(([name, type]) => name?.startsWith(prefix) && type !== undefined).map(([name, type]) => [name, String(type).trim()]));
}

afterAll(async () => {
  await receiver.close();
  await scratch.dispose();
});

describe('webhook topology on RabbitMQ', () => {
  it('declares every queue quorum, and keeps the classic ordered queues an earlier version left, with what they hold', async () => {
    await receiver.listen();
    const real = (q: string): string => `${scratch.namespace}.${q}`;
    const acct = await scratch.directory.accounts.create({ name: `top${randomBytes(4).toString('hex')}`, realm: `top${randomBytes(4).toString('hex')}.local` });
    await scratch.directory.webhooks.create(acct.id, { name: 'top', uri: receiver.url('/top'), hook: 'all', format: 'json' });
    const id = `top-${randomBytes(4).toString('hex')}@10.0.0.7`;
    // As the earlier version declared them: classic, single active consumer, dead-lettering; one event waits in it.
    const conn = await connect(AMQP_URL);
    try {
      const ch = await conn.createConfirmChannel();
      const classic = { durable: true, arguments: { 'x-dead-letter-exchange': real(DEAD_LETTER_EXCHANGE), 'x-single-active-consumer': true } };
      await ch.assertQueue(real(T.eventQueue), classic);
      await ch.assertQueue(real(partitionQueueName(0)), classic);
      ch.sendToQueue(real(T.eventQueue), Buffer.from(JSON.stringify(callEvent('CHANNEL_CREATE', id, acct.id, { 'Event-Sequence': 1 }))), { persistent: true, contentType: 'application/json' });
      await ch.waitForConfirms();
    } finally {
      await conn.close();
    }

    const logger = warnings();
    const worker = new WebhookWorker({ bus: await scratch.bus('top', { logger }), directory: scratch.directory, config: { allowedHosts: ['127.0.0.1'], retryTiersMs: TIERS, partitions: PARTITIONS }, appName: 'webhooks', appVersion: '0.1.0' });
    try {
      await worker.start();
      await waitFor(() => receiver.got('/top').length >= 1, { timeoutMs: 10_000 });
    } finally {
      await worker.stop();
    }
    expect(JSON.parse(receiver.got('/top')[0]?.body ?? '{}')).toMatchObject({ call_id: id, hook_event: 'channel_create' });
    const kept = logger.warned.filter((w) => w.msg.includes('classic queue an earlier Legwork declared')).map((w) => (w.obj as { queue: string }).queue);
    expect(kept.sort()).toEqual([real(T.eventQueue), real(partitionQueueName(0))].sort());
    const types = await queueTypes(`${scratch.namespace}.legwork.webhooks`);
    expect(types[real(T.eventQueue)]).toBe('classic');
    expect(types[real(partitionQueueName(0))]).toBe('classic');
    for (let p = 1; p < PARTITIONS; p++) expect(types[real(partitionQueueName(p))]).toBe('quorum');
    expect(types[real(T.deliverQueue)]).toBe('quorum');
  });

  it('declares the ordered queues quorum with a single active consumer on a broker that has none yet', async () => {
    const fresh = new WebhookScratch(TIERS, PARTITIONS);
    try {
      const worker = new WebhookWorker({ bus: await fresh.bus('fresh'), directory: fresh.directory, config: { allowedHosts: ['127.0.0.1'], retryTiersMs: TIERS, partitions: PARTITIONS }, appName: 'webhooks', appVersion: '0.1.0' });
      await worker.start();
      await worker.stop();
      const types = await queueTypes(`${fresh.namespace}.`);
      expect(types[`${fresh.namespace}.${T.eventQueue}`]).toBe('quorum');
      for (let p = 0; p < PARTITIONS; p++) expect(types[`${fresh.namespace}.${partitionQueueName(p)}`]).toBe('quorum');
      const { stdout } = await run('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', 'name', 'arguments']);
      const args = stdout.split('\n').find((l) => l.startsWith(`${fresh.namespace}.${T.eventQueue}\t`)) ?? '';
      expect(args).toContain('x-single-active-consumer');
    } finally {
      await fresh.dispose();
    }
  });
});
