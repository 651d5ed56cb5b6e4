import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { OPERATIONS } from '@legwork/directory';
import { createLogger, loadConfig, runApp, type AppHandle } from '@legwork/platform';
import { startKazooApp, type KazooApp } from './kazoo-app.harness';
import { kazooRoutes } from './kazoo-routes';
import { apiGatewayConfigSchema, ApiGatewayModule } from '../src';

// Every Kazoo route must declare its access policy; a route added without one fails here, and is refused at run time.
describe('access policy on every route', () => {
  let app: KazooApp;
  beforeAll(async () => {
    app = await startKazooApp();
  });
  afterAll(() => app.close());

  it('declares a known operation on every /v2 route of the module graph', () => {
    const routes = kazooRoutes(app);
    expect(routes.length).toBeGreaterThanOrEqual(40);
    expect(routes.filter((r) => r.access === undefined).map((r) => r.key)).toEqual([]);
    for (const r of routes) expect([r.path, OPERATIONS.includes(r.access?.operation as never)]).toEqual([r.path, true]);
  });

  it('matches the routes the running app serves (its OpenAPI document), each showing its operation', async () => {
    const doc = (await (await fetch(`${app.url}/docs-json`)).json()) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const served = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v2'))
      .flatMap(([path, ops]) => Object.entries(ops).map(([verb, op]) => ({ key: `${verb} ${path.replace(/\{(\w+)\}/g, ':$1')}`, access: op['x-access'] })));
    expect(served.filter((s) => typeof s.access !== 'string').map((s) => s.key)).toEqual([]);
    expect(served.map((s) => s.key).sort()).toEqual(kazooRoutes(app).map((r) => r.key).sort());
  });
});

@Controller('v2/accounts/:accountId/forgotten')
class ForgottenController {
  @Get()
  leak(): Record<string, string> {
    return { secret: 'leaked' };
  }
}

@Module({ controllers: [ForgottenController] })
class ForgottenModule {}

describe('a /v2 route without a declared policy', () => {
  let handle: AppHandle;
  let app: KazooApp;
  beforeAll(async () => {
    app = await startKazooApp();
    const config = loadConfig(apiGatewayConfigSchema, { HOST: '127.0.0.1', API_GATEWAY_PORT: '0', NODE_ID: 'forgotten' });
    const logger = createLogger('t', 'silent');
    const root: DynamicModule = { module: class ForgottenRoot {}, imports: [ApiGatewayModule.forRoot({ config, infra: app.infra, logger }, { print: () => undefined }), ForgottenModule] };
    handle = await runApp({ name: 'forgotten', module: root, host: '127.0.0.1', port: 0, logger });
  });
  afterAll(async () => {
    await handle.close();
    await app.close();
  });

  it('is refused, even for the master', async () => {
    const master = await app.directory.accounts.getMaster();
    const token = await app.directory.credentials.issueToken({ accountId: master?.id ?? '', method: 'api_key' });
    const res = await fetch(`${handle.url}/v2/accounts/${master?.id ?? ''}/forgotten`, { headers: { 'x-auth-token': token } });
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).not.toContain('leaked');
  });
});
