import { randomBytes } from 'node:crypto';
import { type ManualClock, createCallStore } from '@legwork/call-state';
import { createDirectory } from '@legwork/directory';
import { Redis } from 'ioredis';
import { registrarAbuseContract } from './testing/registrar-abuse.contract';
import { type RegistrarHarness, registrarContract } from './testing/registrar.contract';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes only the keys under this run's prefix. */
async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

const harness = async (clock: ManualClock): Promise<RegistrarHarness> => {
  const prefix = `lwtest-reg-${randomBytes(5).toString('hex')}:`;
  const directory = createDirectory({ url: REDIS_URL, prefix: `${prefix}d:` });
  const calls = createCallStore({ url: REDIS_URL, prefix: `${prefix}c:`, clock });
  return {
    directory,
    calls,
    clock,
    dispose: async () => {
      await calls.close();
      await directory.close();
      await deletePrefix(prefix);
    },
  };
};

registrarContract('Redis directory and call store', harness);
// The registrar code is the same over both stores: its 10,050-REGISTER flood runs in the in-process suite, and the
// Redis counter's own contract outlasts 12,000 nonces; here a 2,000 flood keeps eight Redis round trips per REGISTER bounded.
registrarAbuseContract('Redis directory and call store', harness, 2_000);
