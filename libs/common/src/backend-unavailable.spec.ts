import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { isBackendUnavailable } from './backend-unavailable';
import { LegworkError } from './legwork-error';

/** A port nothing listens on: bound for a moment, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('isBackendUnavailable', () => {
  it('is true for the error ioredis gives a command while its server is down', async () => {
    const redis = new Redis(`redis://127.0.0.1:${await closedPort()}`, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    redis.on('error', () => undefined);
    const err = await redis.get('k').then(() => undefined, (e: unknown) => e);
    redis.disconnect();
    expect(err).toBeInstanceOf(Error);
    expect(isBackendUnavailable(err)).toBe(true);
  });

  it('is true for a broker that is away and for a socket error, also as the cause of another error', () => {
    expect(isBackendUnavailable(new LegworkError('bus_unavailable', 'not connected'))).toBe(true);
    expect(isBackendUnavailable(new LegworkError('bus_closed', 'closed'))).toBe(true);
    // a nack: the broker did not take the message (a quorum queue between leaders, a resource alarm), so try again
    expect(isBackendUnavailable(new LegworkError('bus_nack', 'broker refused the message'))).toBe(true);
    expect(isBackendUnavailable(new LegworkError('store_unavailable', 'calls.get failed: Reached the max retries per request limit'))).toBe(true);
    expect(isBackendUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isBackendUnavailable(new Error('wrapped', { cause: new Error('Connection is closed.') }))).toBe(true);
  });

  it('is false for errors of the request itself', () => {
    expect(isBackendUnavailable(new LegworkError('bus_timeout', 'no reply'))).toBe(false);
    expect(isBackendUnavailable(new LegworkError('not_found', 'x'))).toBe(false);
    expect(isBackendUnavailable(new LegworkError('ECONNREFUSED', 'a module code is only its own'))).toBe(false);
    expect(isBackendUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isBackendUnavailable('ECONNREFUSED')).toBe(false);
    expect(isBackendUnavailable(undefined)).toBe(false);
  });
});
