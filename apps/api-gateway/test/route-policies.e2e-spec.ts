import 'reflect-metadata';
import { Controller, Get, Module, type DynamicModule, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { OPERATIONS } from '@legwork/directory';
import { createLogger, loadConfig, runApp, type AppHandle } from '@legwork/platform';
import { apiGatewayConfigSchema, ApiGatewayModule } from '../src';
import { KAZOO_ACCESS, type KazooAccessSpec } from '../src/kazoo/core/kazoo-access.decorator';
import { startKazooApp, type KazooApp } from './kazoo-app.harness';

const VERBS = ['get', 'post', 'put', 'delete', 'patch', 'options', 'head', 'all'];

interface Route {
  verb: string;
  path: string;
  access?: KazooAccessSpec;
}

function controllersOf(mod: Type | DynamicModule): Type[] {
  const dynamic = 'module' in mod ? mod : undefined;
  const cls = dynamic?.module ?? (mod as Type);
  const imports = [...((Reflect.getMetadata('imports', cls) as Array<Type | DynamicModule> | undefined) ?? []), ...(dynamic?.imports ?? [])] as Array<Type | DynamicModule>;
  const own = [...((Reflect.getMetadata('controllers', cls) as Type[] | undefined) ?? []), ...(dynamic?.controllers ?? [])];
  return [...own, ...imports.flatMap(controllersOf)];
}

/** Every handler of every controller of the module graph, inherited ones included, with its path and policy. */
function routesOf(mod: DynamicModule): Route[] {
  const routes: Route[] = [];
  for (const controller of controllersOf(mod)) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const seen = new Set<string>();
    for (let proto = controller.prototype as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = (proto as Record<string, unknown>)[name];
        if (name === 'constructor' || seen.has(name) || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        seen.add(name);
        const sub = String(Reflect.getMetadata(PATH_METADATA, handler));
        const path = `/${[base, sub].filter((p) => p !== '' && p !== '/').join('/')}`.replace(/\/+/g, '/');
        routes.push({ verb: VERBS[Number(Reflect.getMetadata(METHOD_METADATA, handler))] ?? '?', path, access: Reflect.getMetadata(KAZOO_ACCESS, handler) as KazooAccessSpec | undefined });
      }
    }
  }
  return routes;
}

// Every Kazoo route must declare its access policy; a route added without one fails here, and is refused at run time.
describe('access policy on every route', () => {
  let app: KazooApp;
  beforeAll(async () => {
    app = await startKazooApp();
  });
  afterAll(() => app.close());

  const kazooRoutes = (): Route[] => routesOf(ApiGatewayModule.forRoot({ config: app.config, infra: app.infra, logger: createLogger('t', 'silent') })).filter((r) => r.path.startsWith('/v2'));

  it('declares a known operation on every /v2 route of the module graph', () => {
    const routes = kazooRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(40);
    expect(routes.filter((r) => r.access === undefined).map((r) => `${r.verb} ${r.path}`)).toEqual([]);
    for (const r of routes) expect([r.path, OPERATIONS.includes(r.access?.operation as never)]).toEqual([r.path, true]);
  });

  it('matches the routes the running app serves (its OpenAPI document), each showing its operation', async () => {
    const doc = (await (await fetch(`${app.url}/docs-json`)).json()) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const served = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v2'))
      .flatMap(([path, ops]) => Object.entries(ops).map(([verb, op]) => ({ key: `${verb} ${path.replace(/\{(\w+)\}/g, ':$1')}`, access: op['x-access'] })));
    expect(served.filter((s) => typeof s.access !== 'string').map((s) => s.key)).toEqual([]);
    expect(served.map((s) => s.key).sort()).toEqual(kazooRoutes().map((r) => `${r.verb} ${r.path}`).sort());
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
