import { randomBytes } from 'node:crypto';
import type { Logger } from '@legwork/common';
import { md5Credentials } from '@legwork/directory';
import { bannerKey, startKazooApp, type KazooApp } from './kazoo-app.harness';
import { expectKazooError } from './security.fixture';

function capturingLogger(lines: string[]): Logger {
  const keep = (_o: unknown, msg?: string): void => void lines.push(String(msg));
  return { debug: () => undefined, info: () => undefined, warn: keep, error: keep };
}

// Password guessing over REST is throttled by source and by account, logged per failure and counted in /metrics.
describe('REST authentication throttle', () => {
  const lines: string[] = [];
  let app: KazooApp;

  beforeAll(async () => {
    app = await startKazooApp({ directoryLogger: capturingLogger(lines), authThrottle: { sourceFailures: 20, userFailures: 5, blockSeconds: 60 } });
  });
  afterAll(() => app.close());

  it('refuses user_auth guesses against one account with 429 and Retry-After, the right password included, logging each failure', async () => {
    const master = await app.directory.accounts.getMaster();
    const account = await app.directory.accounts.create({ name: 'Guessed', realm: 'guessed.legwork.local' }, master?.id);
    await app.directory.users.create(account.id, { first_name: 'V', last_name: 'Ictim', username: 'victim', password: 'R1ght-one' });
    const guess = (password: string) => app.call('PUT', '/v2/user_auth', { body: { data: { credentials: md5Credentials('victim', password), account_realm: 'guessed.legwork.local' } } });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await guess(`wrong-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const right = await guess('R1ght-one');
    expectKazooError(right, 429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    const failures = lines.filter((l) => l.startsWith('auth failure surface=rest source=127.0.0.1 '));
    expect(failures).toHaveLength(5);
    expect(failures[0]).toMatch(/username=guessed\.legwork\.local realm=- reason=/);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/legwork_auth_failures_total\{surface="rest"\} [1-9]/);
  });

  it('refuses a source that keeps guessing API keys, even with the right key', async () => {
    const statuses: number[] = [];
    const guesses = Array.from({ length: 20 }, () => randomBytes(32).toString('hex'));
    for (const api_key of guesses) statuses.push((await app.call('PUT', '/v2/api_auth', { body: { data: { api_key } } })).status);
    // the first test's 5 failures count against the same source (limit 20)
    expect(statuses).toEqual([...Array<number>(15).fill(401), ...Array<number>(5).fill(429)]);
    const right = await app.call('PUT', '/v2/api_auth', { body: { data: { api_key: bannerKey(app) } } });
    expectKazooError(right, 429);
    expect(lines).toContain(`auth failure surface=rest source=127.0.0.1 username=${guesses[0].slice(0, 8)} realm=- reason=bad_api_key`);
  });
});
