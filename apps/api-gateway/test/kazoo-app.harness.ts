import { createBus } from '@legwork/bus';
import { createCallStore } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import { createDirectory, type AuthThrottlePolicy, type Directory } from '@legwork/directory';
import { countAuthEvent, createLogger, loadConfig, type AppHandle, type Infrastructure } from '@legwork/platform';
import { apiGatewayConfigSchema, bootstrapApiGateway, type ApiGatewayConfig } from '../src';

export interface KazooResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { data?: unknown; auth_token?: string; request_id?: string; status?: string; message?: string; error?: string };
}

export interface KazooApp {
  url: string;
  config: ApiGatewayConfig;
  directory: Directory;
  infra: Infrastructure;
  /** Lines the gateway printed for the operator (the master banner). */
  printed: string[];
  /** Moves the clock shared by the directory and the call store. */
  advance(ms: number): void;
  call(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<KazooResponse>;
  /** Stops the app; the infrastructure too unless it was handed in. */
  close(): Promise<void>;
}

export interface KazooAppOptions {
  env?: Record<string, string>;
  /** Shared infrastructure (e.g. real Redis); an in-process one with a movable clock otherwise. */
  infra?: Infrastructure;
  tokenTtlSeconds?: number;
  /** Receives the directory's log lines (failed authentications) of the in-process infrastructure. */
  directoryLogger?: Logger;
  authThrottle?: Partial<AuthThrottlePolicy>;
}

/** An in-process infrastructure whose directory and call store follow one movable clock. */
function inProcessInfra(now: () => number, opts: KazooAppOptions): Infrastructure {
  const logger = createLogger('api-gateway-test', 'silent');
  const bus = createBus({ appName: 'api-gateway', nodeId: 'kazoo-test', logger });
  const calls = createCallStore({ clock: { now } });
  const directory = createDirectory({
    now,
    tokenTtlSeconds: opts.tokenTtlSeconds ?? 3600,
    onAuthEvent: countAuthEvent,
    ...(opts.directoryLogger !== undefined ? { logger: opts.directoryLogger } : {}),
    ...(opts.authThrottle !== undefined ? { authThrottle: opts.authThrottle } : {}),
  });
  return {
    bus,
    calls,
    directory,
    mode: 'embedded',
    start: () => bus.start(),
    close: async () => {
      await Promise.all([bus.close(), calls.close(), directory.close()]);
    },
  };
}

/** Boots the whole gateway on port 0, as `npm start` would, over in-process or given infrastructure. */
export async function startKazooApp(opts: KazooAppOptions = {}): Promise<KazooApp> {
  let offset = 0;
  const now = (): number => Date.now() + offset;
  const ownsInfra = opts.infra === undefined;
  const infra = opts.infra ?? inProcessInfra(now, opts);
  if (ownsInfra) await infra.start();
  const config = loadConfig(apiGatewayConfigSchema, { HOST: '127.0.0.1', API_GATEWAY_PORT: '0', NODE_ID: 'kazoo-test', ...opts.env });
  const printed: string[] = [];
  let app: AppHandle;
  try {
    app = await bootstrapApiGateway({ config, infra, logger: createLogger('api-gateway', 'silent') }, { print: (line) => printed.push(line) });
  } catch (err) {
    if (ownsInfra) await infra.close();
    throw err;
  }
  return {
    url: app.url,
    config,
    directory: infra.directory,
    infra,
    printed,
    advance: (ms) => {
      offset += ms;
    },
    async call(method, path, { token, body, headers = {} } = {}) {
      const res = await fetch(`${app.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { 'x-auth-token': token }), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as KazooResponse['body']) };
    },
    async close() {
      await app.close();
      if (ownsInfra) await infra.close();
    },
  };
}

/** The master's API key from the printed banner. */
export function bannerKey(app: KazooApp): string {
  const match = /api_key=([0-9a-f]{64})/.exec(app.printed.join(''));
  if (!match) throw new Error(`no master banner printed: ${app.printed.join('')}`);
  return match[1];
}

/** An auth token for `apiKey` via PUT /v2/api_auth. */
export async function tokenFor(app: KazooApp, apiKey: string): Promise<string> {
  const res = await app.call('PUT', '/v2/api_auth', { body: { data: { api_key: apiKey } } });
  if (res.status !== 201 || typeof res.body.auth_token !== 'string') throw new Error(`api_auth failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.auth_token;
}
