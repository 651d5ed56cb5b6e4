import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { createLogger } from '@legwork/platform';
import { ApiGatewayModule } from '../src';
import { KAZOO_ACCESS, type KazooAccessSpec } from '../src/dialects/kazoo/core/kazoo-access.decorator';
import type { KazooApp } from './kazoo-app.harness';

const VERBS = ['get', 'post', 'put', 'delete', 'patch', 'options', 'head', 'all'];

export interface Route {
  /** `verb /path/:param`, e.g. `get /v2/accounts/:accountId/users/:id`. */
  key: string;
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
        const verb = VERBS[Number(Reflect.getMetadata(METHOD_METADATA, handler))] ?? '?';
        routes.push({ key: `${verb} ${path}`, verb, path, access: Reflect.getMetadata(KAZOO_ACCESS, handler) as KazooAccessSpec | undefined });
      }
    }
  }
  return routes;
}

/** Every /v2 route the gateway registers (the Kazoo dialect), whatever module brings it. */
export function kazooRoutes(app: KazooApp): Route[] {
  return routesOf(ApiGatewayModule.forRoot({ config: app.config, infra: app.infra, logger: createLogger('routes', 'silent') })).filter((r) => r.path.startsWith('/v2'));
}
