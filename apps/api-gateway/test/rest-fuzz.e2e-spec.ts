import { randomBytes } from 'node:crypto';
import { FakeMediaResponder } from '@legwork/originate-client/testing';
import { NetaxisClient } from '../src/dialects/netaxis/testing';
import { VoipnowClient } from '../src/dialects/voipnow/testing';
import { startKazooApp, type KazooApp } from './kazoo-app.harness';
import { casesFor, operationsOf, type FuzzCase, type FuzzOperation } from './rest-fuzz.cases';
import { dialectOf, send, shapeProblem, type Dialect } from './rest-fuzz.shapes';
import { PASSWORD, securityWorld, type SecurityWorld } from './security.fixture';

// every reply, the slowest included, must come within this: a hang is a failure, however the gateway is loaded
const REQUEST_TIMEOUT_MS = 15_000;
jest.setTimeout(300_000);

interface Problem {
  case: string;
  auth: boolean;
  path: string;
  status?: number;
  why: string;
}

/** Every operation of every dialect in the OpenAPI document, fed invalid bodies and path params, with a valid credential and without. */
describe('REST fuzz from the OpenAPI document: a 4xx in the dialect\'s own shape, never a 5xx or a hang', () => {
  let app: KazooApp;
  let w: SecurityWorld;
  let media: FakeMediaResponder;
  const credentials = {} as Record<Dialect, Record<string, string>>;
  let operations: FuzzOperation[] = [];
  const tally: Record<string, number> = {};

  const random = (): string => randomBytes(16).toString('hex');

  /** The valid value of a path param: tenant b's documents for Kazoo (its admin routes may rewrite them), tenant a's for the others. */
  const valueOf = (op: FuzzOperation, name: string, before: string): string => {
    // deleting a real document would pull the ground from under the cases that follow
    if (op.method === 'DELETE') return random();
    const t = dialectOf(op.template) === 'kazoo' ? w.b : w.a;
    const byCollection: Record<string, string> = { users: t.userId, devices: t.userDeviceId, resources: t.resourceId, groups: t.groupId, webhooks: t.webhookId };
    const values: Record<string, string> = {
      accountId: t.id, tenantId: t.id, groupId: t.groupId, token: t.keyToken, number: '+15551234567', extension: '210',
      endpointId: before === 'users' ? t.userId : t.userDeviceId, userId: dialectOf(op.template) === 'voipnow' ? '@me' : t.userId,
    };
    return values[name] ?? (name === 'id' ? byCollection[before] : undefined) ?? random();
  };

  /** The request paths of one case: the valid path, or one path per param with that param made hostile. */
  const pathsOf = (op: FuzzOperation, c: FuzzCase): string[] => {
    const params = [...op.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const build = (hostile?: string): string =>
      op.template.replace(/([^/]*)\/\{(\w+)\}/g, (_all, before: string, name: string) => `${before}/${name === hostile ? (c.pathParam ?? '') : encodeURIComponent(valueOf(op, name, before))}`);
    return c.pathParam === undefined ? [build()] : params.map((p) => build(p));
  };

  beforeAll(async () => {
    app = await startKazooApp({
      env: { RATE_BUCKET_BURST: '10000000', RATE_BUCKET_REFILL_PER_SECOND: '1000000', UNAUTHENTICATED_RATE_LIMIT: '1000000' },
      authThrottle: { sourceFailures: 10_000_000, userFailures: 10_000_000 },
    });
    w = await securityWorld(app);
    media = new FakeMediaResponder(app.infra.bus, `fuzz-node-${random().slice(0, 6)}`);
    await media.start();
    const client = (dialect: string) => app.directory.apiClients.create(w.a.id, { name: `fuzz-${dialect}`, dialect });
    const voipnow = await client('voipnow');
    const basix = await client('basix');
    const xon = await client('xon');
    credentials.kazoo = { 'x-auth-token': w.b.keyToken };
    credentials.voipnow = { authorization: `Bearer ${(await VoipnowClient.login(app.url, voipnow.client_id, voipnow.client_secret)).token}` };
    credentials.basix = { authorization: `Basic ${Buffer.from(`${w.a.realm}:${basix.client_secret}`).toString('base64')}` };
    credentials.xon = { authorization: `Bearer ${xon.client_secret}` };
    credentials.netaxis = { authorization: `Bearer ${(await NetaxisClient.login(app.url, `admin-${w.a.name}@${w.a.realm}`, PASSWORD)).token}` };
    credentials.platform = {};
    const doc = (await (await fetch(`${app.url}/docs-json`)).json()) as Parameters<typeof operationsOf>[0];
    // logging out runs last: it ends the Kazoo token the other operations use
    operations = operationsOf(doc).sort((a, b) => Number(a.template === '/v2/token_auth') - Number(b.template === '/v2/token_auth'));
  });
  afterAll(async () => {
    console.log(JSON.stringify({ operations: operations.length, replies: tally }));
    await media?.stop();
    await app?.close();
  });

  it('the document lists every dialect, and every body a route reads', () => {
    expect(new Set(operations.map((op) => dialectOf(op.template)))).toEqual(new Set(['kazoo', 'voipnow', 'basix', 'xon', 'netaxis', 'platform']));
    expect(operations.length).toBeGreaterThan(80);
    // these start a call from the path alone and read no body
    const bodiless = /\/quickcall\/\{number\}$|\/calls\/retrieve$/;
    const undocumented = operations.filter((op) => ['PUT', 'POST', 'PATCH'].includes(op.method) && op.schema === undefined && !bodiless.test(op.template));
    expect(undocumented.map((op) => `${op.method} ${op.template}`)).toEqual([]);
  });

  /** Every case of one operation, with the credential and without; what went wrong, if anything. */
  async function fuzzOperation(op: FuzzOperation): Promise<Problem[]> {
    const problems: Problem[] = [];
    const dialect = dialectOf(op.template);
    for (const c of casesFor(op)) {
      for (const auth of [true, false]) {
        for (const path of pathsOf(op, c)) {
          const headers = { ...(auth ? credentials[dialect] : {}), 'content-type': c.contentType ?? 'application/json', ...c.headers };
          try {
            const reply = await send(app.url, op.method, path, headers, c.body, REQUEST_TIMEOUT_MS);
            const key = `${dialect} ${auth ? 'with' : 'without'} credential: ${reply.status}`;
            tally[key] = (tally[key] ?? 0) + 1;
            const why = reply.status >= 500 ? `status ${reply.status}: ${reply.raw.slice(0, 200)}` : shapeProblem(dialect, reply.status, reply.body, reply.raw, op.template);
            if (why !== undefined) problems.push({ case: `${op.method} ${op.template}: ${c.name}`, auth, path: path.slice(0, 120), status: reply.status, why });
          } catch (err) {
            problems.push({ case: `${op.method} ${op.template}: ${c.name}`, auth, path: path.slice(0, 120), why: (err as Error).message });
          }
        }
      }
    }
    return problems;
  }

  it('every operation answers every hostile request below 500, in its dialect\'s shape, in time', async () => {
    const problems: Problem[] = [];
    const [last, ...rest] = [...operations].reverse();
    // four operations at a time; logging out (last) only once the others are done
    const queue = rest.reverse();
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let op = queue.shift(); op !== undefined; op = queue.shift()) problems.push(...(await fuzzOperation(op)));
    }));
    problems.push(...(await fuzzOperation(last)));
    expect(problems).toEqual([]);
  });
});
