import { connect } from 'amqplib';
import { Redis } from 'ioredis';
import { DEAD_LETTER_QUEUE, STANDARD_EXCHANGES } from '@legwork/bus';
import { newId } from '@legwork/common';
import { scratchSecretKeys } from '@legwork/platform/testing';
import { CDR_QUEUE } from '../src/core/cdr.writer';
import { describeChannelsAndCdrs } from './channels-cdrs.suite';
import { startGateway } from './quickcall.harness';
import { describeQuickcall } from './quickcall.suite';

const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const run = newId().slice(0, 10);
const env = { AMQP_URL, REDIS_URL, REDIS_PREFIX: `lwtest-qc-${run}:`, AMQP_NAMESPACE: `lwtest-qc-${run}`, LEGWORK_SECRET_KEYS: scratchSecretKeys() };

process.env['KAZOO_QUICKCALL_REPLY_MARGIN_MS'] = '500';

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.REDIS_PREFIX}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
  const conn = await connect(AMQP_URL);
  const ch = await conn.createChannel();
  for (const q of [CDR_QUEUE, DEAD_LETTER_QUEUE]) await ch.deleteQueue(`${env.AMQP_NAMESPACE}.${q}`);
  for (const x of STANDARD_EXCHANGES.map((e) => e.name)) await ch.deleteExchange(`${env.AMQP_NAMESPACE}.${x}`);
  await ch.close();
  await conn.close();
});

describeQuickcall('RabbitMQ and Redis', () => startGateway(env));
describeChannelsAndCdrs('RabbitMQ and Redis', () => startGateway(env));
