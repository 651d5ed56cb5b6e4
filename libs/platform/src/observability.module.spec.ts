import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import type { HealthCheck } from './health-checks';
import { createLogger } from './logger';
import { ObservabilityModule } from './observability.module';
import { runApp, type AppHandle } from './run-app';

@Controller('things')
class ThingsController {
  @Get(':id')
  get(): { ok: true } {
    return { ok: true };
  }
}

function appModule(appName: string, checks: Record<string, HealthCheck>): DynamicModule {
  @Module({})
  class TestAppModule {}
  return {
    module: TestAppModule,
    imports: [ObservabilityModule.forRoot({ appName, checks, checkTimeoutMs: 200 })],
    controllers: [ThingsController],
  };
}

const lines: string[] = [];
const logger = createLogger('test-app', 'info', { node: 'n1', destination: { write: (l: string) => lines.push(l) } });
const ok: HealthCheck = async () => undefined;

describe('ObservabilityModule', () => {
  const handles: AppHandle[] = [];
  const start = async (appName: string, checks: Record<string, HealthCheck>): Promise<AppHandle> => {
    const handle = await runApp({ name: appName, module: appModule(appName, checks), host: '127.0.0.1', port: 0, logger });
    handles.push(handle);
    return handle;
  };

  afterAll(async () => {
    await Promise.all(handles.map((h) => h.close()));
  });

  it('serves 200 on /healthz when every check passes', async () => {
    const app = await start('alpha', { bus: ok, store: ok, directory: ok });
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { bus: 'ok', store: 'ok', directory: 'ok' } });
  });

  it('serves 503 naming the failing and the hanging check', async () => {
    const app = await start('beta', {
      bus: ok,
      store: async () => {
        throw new Error('redis down');
      },
      directory: () => new Promise<void>(() => undefined),
    });
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'error',
      checks: { bus: 'ok', store: 'error', directory: 'error' },
      errors: { store: 'redis down', directory: 'timed out after 200 ms' },
    });
  });

  it('exposes per-app request metrics labelled by route template and status', async () => {
    const gamma = await start('gamma', { bus: ok });
    const delta = await start('delta', { bus: ok });
    expect((await fetch(`${gamma.url}/things/42`)).status).toBe(200);
    expect((await fetch(`${gamma.url}/nowhere`)).status).toBe(404);
    const res = await fetch(`${gamma.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE legwork_http_requests_total counter');
    expect(text).toContain('legwork_http_requests_total{method="GET",route="/things/:id",status="200",app="gamma"} 1');
    expect(text).toContain('legwork_http_requests_total{method="GET",route="unmatched",status="404",app="gamma"} 1');
    expect(text).toContain('legwork_http_request_duration_seconds_bucket');
    expect(text).toContain('legwork_process_resident_memory_bytes');
    expect(text).not.toContain('app="delta"');
    const other = await (await fetch(`${delta.url}/metrics`)).text();
    expect(other).not.toContain('/things/:id');
  });

  it('writes Nest logs as JSON lines through the app logger', () => {
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.length).toBeGreaterThan(0);
    expect(parsed.every((l) => l.app === 'test-app' && l.node === 'n1')).toBe(true);
    expect(parsed.some((l) => l.context === 'RoutesResolver' || l.context === 'NestApplication')).toBe(true);
  });

  it('close() can be called twice', async () => {
    const app = await start('epsilon', { bus: ok });
    await Promise.all([app.close(), app.close()]);
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
  });
});
