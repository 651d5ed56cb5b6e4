import { FREE_PORTS, NodeProcess, ensureBuilt } from './node-process';
import { AMQP_URL, REDIS_URL } from '@legwork/platform/testing';

describe('boot with a bad configuration', () => {
  const procs: NodeProcess[] = [];
  const run = async (script: string, env: Record<string, string>): Promise<NodeProcess & { code: number | null }> => {
    const proc = new NodeProcess(script, env);
    procs.push(proc);
    const code = await proc.exited;
    return Object.assign(proc, { code });
  };

  beforeAll(() => ensureBuilt(), 120_000);
  afterAll(() => procs.forEach((p) => p.kill()));

  it('npm start exits 1 naming the bad variable', async () => {
    const proc = await run('apps/legwork/dist/main.js', { ...FREE_PORTS, API_GATEWAY_PORT: 'abc' });
    expect(proc.code).toBe(1);
    expect(proc.stderr).toContain('invalid configuration');
    expect(proc.stderr).toContain('API_GATEWAY_PORT: must be a port number');
    expect(proc.stdout).not.toContain('Legwork is running');
  });

  it('a standalone app exits 1 naming the bad variable', async () => {
    const proc = await run('apps/webhooks/dist/main.js', { ...FREE_PORTS, WEBHOOKS_PORT: '99999', LOG_LEVEL: 'chatty' });
    expect(proc.code).toBe(1);
    expect(proc.stderr).toContain('WEBHOOKS_PORT: must be a port number');
    expect(proc.stderr).toContain('LOG_LEVEL: must be one of');
  });

  it('refuses distributed mode without LEGWORK_SECRET_KEYS, naming the variable, on npm start and on a standalone app', async () => {
    for (const script of ['apps/legwork/dist/main.js', 'apps/webhooks/dist/main.js']) {
      const proc = await run(script, { ...FREE_PORTS, AMQP_URL, REDIS_URL, REDIS_PREFIX: 'never-written:', AMQP_NAMESPACE: 'never-declared' });
      expect({ script, code: proc.code }).toEqual({ script, code: 1 });
      expect(proc.stderr).toContain('LEGWORK_SECRET_KEYS: is required in distributed mode');
    }
    const bad = await run('apps/media-node/dist/main.js', { ...FREE_PORTS, AMQP_URL, REDIS_URL, LEGWORK_SECRET_KEYS: 'k1:not-32-bytes' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('LEGWORK_SECRET_KEYS: entry 1: key must be base64 of exactly 32 random bytes');
  });

  it('exits 1 when only one of AMQP_URL and REDIS_URL is set', async () => {
    const proc = await run('apps/media-node/dist/main.js', { ...FREE_PORTS, AMQP_URL });
    expect(proc.code).toBe(1);
    expect(proc.stderr).toContain('REDIS_URL: is required because AMQP_URL is set');
  });
});
