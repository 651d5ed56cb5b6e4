import { randomBytes } from 'node:crypto';
import { callEventRoutingKey, EXCHANGES } from '@legwork/contracts';
import type { ClientPrincipal } from '@legwork/directory';
import type { OriginateOptions, OriginateOutcome, OriginateRequestBody, OriginationClient } from '@legwork/originate-client';
import { createInfrastructure, createLogger, type Infrastructure } from '@legwork/platform';
import { callbackJobSchema, WEBHOOK_TOPOLOGY, type CallbackJob } from '@legwork/webhook-delivery';
import { readBasixConfig } from '../core/basix.config';
import { BasixError } from '../core/basix.error';
import { CallbackNotifier } from './callback.notifier';
import { CallUserService } from './call-user.service';
import { LegsWatcher } from './legs.watcher';

/** An outcome as the test scripts it (the client double adds `replayed`). */
type Scripted = OriginateOutcome extends infer O ? (O extends unknown ? Omit<O, 'replayed'> : never) : never;

/** A test double of the origination client: records each request and lets the test decide its outcome and when. */
class ScriptedClient implements OriginationClient {
  readonly calls: Array<{ request: OriginateRequestBody; opts: OriginateOptions; settle: (o: Scripted) => void }> = [];
  originate(request: OriginateRequestBody, opts: OriginateOptions): Promise<OriginateOutcome> {
    return new Promise((resolve) => this.calls.push({ request, opts, settle: (o) => resolve({ ...o, replayed: false } as OriginateOutcome) }));
  }
  command(): never {
    throw new Error('not used by call_user');
  }
  liveCalls(): never {
    throw new Error('not used by call_user');
  }
  call(): never {
    throw new Error('not used by call_user');
  }
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('condition not met');
};

describe('CallUserService with a scripted origination client (in-process bus and directory)', () => {
  let infra: Infrastructure;
  let client: ScriptedClient;
  let service: CallUserService;
  let watcher: LegsWatcher;
  let principal: ClientPrincipal;
  const callbacks: CallbackJob[] = [];
  const legsOf = (i: number): string[] => ((client.calls[i]?.request['Endpoints'] as Array<Record<string, unknown>>) ?? []).map((e) => String(e['Outbound-Call-ID']));
  const created = (callId: string) => infra.bus.publish(EXCHANGES.callevt.name, callEventRoutingKey('CHANNEL_CREATE', callId), { 'Event-Name': 'CHANNEL_CREATE', 'Call-ID': callId });
  const request = { user_name: 'jessica', destination: '+14155550100', callback_url: 'http://127.0.0.1:9/result' };
  const reply = (): Promise<unknown> => service.callUser(principal, 'api-token', request);

  beforeAll(async () => {
    const logger = createLogger('basix-spec', 'silent');
    infra = createInfrastructure({ appName: 'api-gateway', nodeId: 'basix-spec', logger });
    await infra.start();
    const config = readBasixConfig({ BASIX_MEDIA: 'bypass', BASIX_LEGS_GRACE_MS: '30', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    client = new ScriptedClient();
    watcher = new LegsWatcher(infra.bus);
    service = new CallUserService(infra.directory, logger, client, config, watcher, new CallbackNotifier(infra.bus, infra.directory, config));
    const dir = infra.directory;
    const account = await dir.accounts.create({ name: 'spec', realm: `spec-${randomBytes(3).toString('hex')}.local` });
    const user = await dir.users.create(account.id, { first_name: 'Jessica', last_name: 'J', username: 'jessica' });
    for (const name of ['d1', 'd2']) await dir.devices.create(account.id, { name, owner_id: user.id, sip: { username: `${name}-${account.id.slice(0, 6)}`, password: 'pw' } });
    const { client_secret: secret } = await dir.apiClients.create(account.id, { name: 'crm', dialect: 'basix' });
    const auth = await dir.apiClients.authenticate({ secret }, { dialect: 'basix', source: '127.0.0.1' });
    if (!auth.ok) throw new Error('no principal');
    principal = auth.principal;
    await infra.bus.declareExchange(WEBHOOK_TOPOLOGY.exchange, 'direct');
    const q = await infra.bus.declareQueue(WEBHOOK_TOPOLOGY.deliverQueue, { bindings: [{ exchange: WEBHOOK_TOPOLOGY.exchange, routingKey: WEBHOOK_TOPOLOGY.deliverKey }] });
    await infra.bus.consume(q, callbackJobSchema, async (job) => void callbacks.push(job));
  });
  afterAll(async () => {
    await watcher.onModuleDestroy();
    await infra.close();
  });
  beforeEach(() => {
    client.calls.length = 0;
    callbacks.length = 0;
  });

  it('waits for the answer (await: answered) and replies with the legs created; the callback names the leg that answered', async () => {
    const pending = reply();
    await until(() => client.calls.length === 1);
    expect(client.calls[0]?.opts).toEqual({ await: 'answered' });
    const [a, b] = legsOf(0);
    await created(a ?? '');
    await created(b ?? '');
    expect(await pending).toEqual({ result_code: 0, uuids: [a, b] });
    client.calls[0]?.settle({ kind: 'initiated', request: {}, callIds: [a ?? '', b ?? ''], callId: b });
    await until(() => callbacks.length === 1);
    expect(callbacks[0]).toMatchObject({ kind: 'callback', uri: 'http://127.0.0.1:9/result', payload: { result_code: 0, uuid: b }, attempt: 1 });
    expect(JSON.stringify(callbacks[0])).not.toContain('api-token');
  });

  it('replies with the answering leg when the answer overtakes the CHANNEL_CREATE events', async () => {
    const pending = reply();
    await until(() => client.calls.length === 1);
    const [a] = legsOf(0);
    client.calls[0]?.settle({ kind: 'initiated', request: {}, callIds: legsOf(0), callId: a });
    expect(await pending).toEqual({ result_code: 0, uuids: [a] });
    await until(() => callbacks.length === 1);
    expect(callbacks[0]?.payload).toEqual({ result_code: 0, uuid: a });
  });

  it('answers the refusal itself when no leg was created, and sends no callback', async () => {
    const pending = reply().catch((err: unknown) => err);
    await until(() => client.calls.length === 1);
    client.calls[0]?.settle({ kind: 'failed', request: {}, cause: 'channel_limit_reached' });
    const err = await pending;
    expect(err).toBeInstanceOf(BasixError);
    expect([(err as BasixError).status, (err as BasixError).id]).toEqual([429, 'channel_limit_reached']);
    await new Promise((r) => setTimeout(r, 100));
    expect(callbacks).toHaveLength(0);
  });

  it('replies success once a leg rang, and the callback carries the hunt\'s failure', async () => {
    const pending = reply();
    await until(() => client.calls.length === 1);
    const [a] = legsOf(0);
    await created(a ?? '');
    expect(await pending).toEqual({ result_code: 0, uuids: [a] });
    client.calls[0]?.settle({ kind: 'failed', request: {}, cause: 'NO_ANSWER' });
    await until(() => callbacks.length === 1);
    expect(callbacks[0]?.payload).toEqual({ result_code: 500, error: { id: 'no_answer' } });
  });

  it('answers 504 timeout when the origination core never answers and nothing rang', async () => {
    const pending = reply().catch((err: unknown) => err);
    await until(() => client.calls.length === 1);
    client.calls[0]?.settle({ kind: 'timeout', request: {} });
    expect([(await pending as BasixError).status, (await pending as BasixError).id]).toEqual([504, 'timeout']);
  });
});
