import { randomBytes } from 'node:crypto';
import { type CallStore, createCallStore } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import { type Account, type AuthThrottlePolicy, type Directory, createDirectory } from '@legwork/directory';
import { Redis } from 'ioredis';
import { createSipServer, type SipServer, type SipServerOptions } from '../src/server/sip-server';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export type Backend = 'in-process' | 'redis';

/** One media node's view of the shared stores: its own connections when the stores are Redis. */
export interface NodeStores {
  directory: Directory;
  calls: CallStore;
}

/** Every warn line the directory's throttle logged. */
export function capturingLogger(lines: string[]): Logger {
  const noop = (): void => undefined;
  return { debug: noop, info: noop, error: noop, warn: (_obj, msg) => void lines.push(String(msg)) };
}

/** Stores for `nodes` media nodes: one in-process pair shared by all, or one Redis connection pair per node on one prefix. */
export function openStores(backend: Backend, nodes: number, opts: { logger: Logger; authThrottle: Partial<AuthThrottlePolicy> }): { stores: NodeStores[]; cleanup(): Promise<void> } {
  if (backend === 'in-process') {
    const shared = { directory: createDirectory({ logger: opts.logger, authThrottle: opts.authThrottle }), calls: createCallStore() };
    return { stores: Array.from({ length: nodes }, () => shared), cleanup: () => closeAll([shared]) };
  }
  const prefix = `lwtest-regsec-${randomBytes(5).toString('hex')}:`;
  const stores = Array.from({ length: nodes }, () => ({
    directory: createDirectory({ url: REDIS_URL, prefix: `${prefix}d:`, logger: opts.logger, authThrottle: opts.authThrottle }),
    calls: createCallStore({ url: REDIS_URL, prefix: `${prefix}c:` }),
  }));
  return {
    stores,
    cleanup: async () => {
      await closeAll(stores);
      await deletePrefix(prefix);
    },
  };
}

async function closeAll(stores: NodeStores[]): Promise<void> {
  for (const s of stores) {
    await s.calls.close();
    await s.directory.close();
  }
}

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

/** A SIP server on a free UDP port over the given stores, offering MD5 (what the hand-written client answers). */
export function startNode(stores: NodeStores, nodeId: string, extra: Partial<SipServerOptions> = {}): Promise<SipServer> {
  return createSipServer({ ...stores, nodeId, secret: 'registrar-security-secret-0123456789', udpPort: 0, registrar: { algorithms: ['MD5'] }, ...extra });
}

export function udpAddress(server: SipServer): { host: string; port: number } {
  const udp = server.listening().find((l) => l.protocol === 'udp');
  if (udp === undefined) throw new Error('no UDP listener');
  return { host: udp.address, port: udp.port };
}

export async function accountWithPhones(directory: Directory, phones: Record<string, string>): Promise<Account> {
  const suffix = randomBytes(4).toString('hex');
  const account = await directory.accounts.create({ name: `regsec-${suffix}`, realm: `regsec${suffix}.legwork.test` });
  for (const [username, password] of Object.entries(phones)) await directory.devices.create(account.id, { name: username, sip: { username, password } });
  return account;
}
