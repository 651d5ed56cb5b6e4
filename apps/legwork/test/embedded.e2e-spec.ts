import { FREE_PORTS, NodeProcess, ensureBuilt } from './node-process';

const APP_NAMES = ['api-gateway', 'media-node', 'webhooks', 'websockets'];

describe('npm start (all apps in one process, embedded)', () => {
  let platform: NodeProcess | undefined;

  beforeAll(() => ensureBuilt(), 120_000);
  afterAll(() => platform?.kill());

  it('boots without AMQP_URL/REDIS_URL, serves healthz and metrics on every app, exits 0 on SIGTERM', async () => {
    platform = new NodeProcess('apps/legwork/dist/main.js', { ...FREE_PORTS });
    await platform.waitFor(/Press Ctrl\+C to stop\./);
    expect(platform.stdout).toContain('mode: embedded: in-process bus and store, nothing persisted');

    const urls = new Map<string, string>();
    for (const [, name, url] of platform.stdout.matchAll(/^ {2}([a-z-]+) +(http:\/\/\S+) +health: /gm)) urls.set(name, url);
    expect([...urls.keys()].sort()).toEqual(APP_NAMES);

    for (const [name, url] of urls) {
      const health = await fetch(`${url}/healthz`);
      expect({ name, status: health.status }).toEqual({ name, status: 200 });
      expect(await health.json()).toEqual({ status: 'ok', checks: { bus: 'ok', store: 'ok', directory: 'ok', ...(name === 'media-node' ? { sip: 'ok' } : {}) } });

      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toContain('# TYPE legwork_http_requests_total counter');
      expect(text).toContain(`legwork_http_requests_total{method="GET",route="/healthz",status="200",app="${name}"} 1`);
    }

    // Every log line is JSON carrying its app; the banner is the only plain text.
    const jsonLines = platform.stdout.split('\n').filter((l) => l.startsWith('{'));
    const apps = new Set(jsonLines.map((l) => (JSON.parse(l) as { app: string }).app));
    expect([...apps].sort()).toEqual([...APP_NAMES, 'legwork'].sort());

    expect(await platform.stop('SIGTERM')).toBe(0);
    expect(platform.stdout).toContain('"msg":"stopped"');
  });
});
