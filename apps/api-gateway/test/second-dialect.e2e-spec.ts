import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamicModule } from '@nestjs/common';
import { createLogger, loadConfig, runApp, type AppHandle } from '@legwork/platform';
import { apiGatewayConfigSchema, ApiGatewayModule } from '../src';
import { configureApiGateway } from '../src/bootstrap';
import { bannerKey, startKazooApp, type KazooApp } from './kazoo-app.harness';
import { SECOND_KEY, SECOND_KEY_HEADER } from './second-dialect/core/second.contract';
import { SecondDialectModule } from './second-dialect/second-dialect.module';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

// A second dialect mounted beside Kazoo in the real app: its own guard and error shape, Kazoo's plumbing never touching it.
describe('a second dialect beside Kazoo', () => {
  let kazoo: KazooApp;
  let handle: AppHandle;

  const call = async (method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> => {
    const res = await fetch(`${handle.url}${path}`, { method, headers: { 'content-type': 'application/json', ...opts.headers }, body: opts.body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  };
  const keyed = { [SECOND_KEY_HEADER]: SECOND_KEY };

  beforeAll(async () => {
    kazoo = await startKazooApp();
    const config = loadConfig(apiGatewayConfigSchema, { HOST: '127.0.0.1', API_GATEWAY_PORT: '0', NODE_ID: 'second-dialect' });
    const logger = createLogger('second-dialect', 'silent');
    const root: DynamicModule = { module: class TwoDialectsRoot {}, imports: [ApiGatewayModule.forRoot({ config, infra: kazoo.infra, logger }, { print: () => undefined }), SecondDialectModule] };
    handle = await runApp({ name: 'api-gateway', module: root, host: '127.0.0.1', port: 0, logger, configure: (app) => configureApiGateway(app, config) });
  });
  afterAll(async () => {
    await handle.close();
    await kazoo.close();
  });

  it('answers its own routes in its own shape, without the Kazoo envelope', async () => {
    const res = await call('POST', '/second/echo', { headers: keyed, body: JSON.stringify({ text: 'hello' }) });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ ok: true, echoed: 'hello' });
    expect(res.headers.get('x-request-id')).toBeNull();
  });

  it('is guarded by its own guard only: a Kazoo token opens nothing, and Kazoo refusals never show', async () => {
    const token = await kazoo.directory.credentials.issueToken({ accountId: (await kazoo.directory.accounts.getMaster())?.id ?? '', method: 'api_key' });
    for (const headers of [{}, { 'x-auth-token': token }] as Array<Record<string, string>>) {
      const res = await call('POST', '/second/echo', { headers, body: JSON.stringify({ text: 'hello' }) });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ ok: false, error: { code: 'unauthenticated', message: `send ${SECOND_KEY_HEADER}` } });
    }
  });

  it('answers bad fields, bad JSON and unknown routes below its mount in its own shape', async () => {
    const field = await call('POST', '/second/echo', { headers: keyed, body: JSON.stringify({ text: 7 }) });
    expect(field).toMatchObject({ status: 400, body: { ok: false, error: { code: 'invalid_field', field: 'text' } } });
    const json = await call('POST', '/second/echo', { headers: keyed, body: '{"text": ' });
    expect(json).toMatchObject({ status: 400, body: { ok: false, error: { code: 'invalid_json' } } });
    const route = await call('GET', '/second/nothing-here', { headers: keyed });
    expect(route).toMatchObject({ status: 404, body: { ok: false, error: { code: 'no_such_route' } } });
  });

  it('leaves the Kazoo routes as they are: envelope, error shape, unknown routes, bad JSON', async () => {
    const login = await call('PUT', '/v2/api_auth', { body: JSON.stringify({ data: { api_key: bannerKey(kazoo) } }) });
    expect(login.status).toBe(201);
    expect(login.body).toMatchObject({ status: 'success', data: { account_id: expect.any(String) } });
    const token = String(login.body['auth_token']);
    const account = await call('GET', `/v2/accounts/${String((login.body['data'] as { account_id: string }).account_id)}`, { headers: { 'x-auth-token': token, 'x-request-id': 'two-dialects' } });
    expect(account).toMatchObject({ status: 200, body: { status: 'success', request_id: 'two-dialects', auth_token: token } });
    expect(account.headers.get('x-request-id')).toBe('two-dialects');
    const unknown = await call('GET', '/v2/no_such_thing', { headers: { 'x-auth-token': token } });
    expect(unknown).toMatchObject({ status: 404, body: { status: 'error', error: '404', message: 'not found' } });
    const json = await call('PUT', '/v2/api_auth', { body: '{"data": ' });
    expect(json).toMatchObject({ status: 400, body: { status: 'error', error: '400', message: 'invalid json' } });
    const refused = await call('PUT', '/v2/api_auth', { headers: keyed, body: JSON.stringify({ data: { api_key: 'f'.repeat(64) } }) });
    expect(refused).toMatchObject({ status: 401, body: { status: 'error', error: '401' } });
    expect((await fetch(`${handle.url}/healthz`)).status).toBe(200);
  });

  it('is built from gateway core alone: none of its files imports the Kazoo dialect', () => {
    const dir = join(__dirname, 'second-dialect');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    expect(files.filter((f) => readFileSync(join(dir, f), 'utf8').includes('dialects/kazoo'))).toEqual([]);
  });
});
