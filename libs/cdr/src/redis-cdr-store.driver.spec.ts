import { Redis } from 'ioredis';
import { newId } from '@legwork/common';
import { createCdrStore } from './cdr-store.factory';
import { describeCdrStoreContract } from './testing/cdr-store.contract';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `lwtest-cdr-${newId().slice(0, 12)}:`;

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
});

describeCdrStoreContract('redis', async () => {
  const retentionMs = 300;
  return {
    store: createCdrStore({ url: REDIS_URL, prefix, retentionMs }),
    retentionMs,
    expire: () => new Promise((resolve) => setTimeout(resolve, retentionMs + 100)),
  };
});
