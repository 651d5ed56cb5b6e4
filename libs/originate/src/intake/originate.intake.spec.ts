import { waitFor } from '@legwork/common/testing';
import { silentLogger } from '@legwork/common';
import { DEAD_LETTER_HEADERS, DEAD_LETTER_QUEUE } from '@legwork/bus';
import { buildMessage, envelope, originateRequest, type MessageBody, type OriginateRequest } from '@legwork/contracts';
import { z } from 'zod';
import type { OriginateOutcome } from '../engine/originate.outcome';
import type { EndpointResolution, EndpointResolver, OriginateMeta } from '../engine/originate.types';
import { CallEventNotifier } from '../events/call-event.notifier';
import { type InfraKind, type ScratchInfra, scratchInfra } from '../testing/scratch-infra';
import { FORWARDED_BY_HEADER, OriginateIntake, SHARED_ORIGINATE_QUEUE, nodeOriginateRoutingKey, type OriginateRunner } from './originate.intake';

type Rec = Record<string, unknown>;

/** Records what it is asked to run; each originate stays open until finished by the test. */
class FakeEngine implements OriginateRunner {
  readonly runs: Array<{ req: OriginateRequest; accountId: string; resolved?: EndpointResolution; finish: (o: OriginateOutcome) => void }> = [];
  autoFinish = true;

  originate(req: OriginateRequest, meta: OriginateMeta): Promise<OriginateOutcome> {
    return new Promise((resolve) => {
      this.runs.push({ req, accountId: meta.accountId, resolved: meta.resolved, finish: resolve });
      if (this.autoFinish) resolve({ ok: true, callId: 'x' });
    });
  }
}

function intakeContract(kind: InfraKind): void {
  describe(`OriginateIntake on ${kind}`, () => {
    let infra: ScratchInfra;
    const intakes: OriginateIntake[] = [];
    const replies: Rec[] = [];
    const events: Rec[] = [];
    const dead: Array<{ body: Rec; headers: Rec }> = [];
    const replyQueue = `replies-${Math.random().toString(16).slice(2, 10)}`;

    const start = async (nodeId: string, engine: OriginateRunner, extra: { resolver?: EndpointResolver; maxInFlight?: number } = {}): Promise<OriginateIntake> => {
      const notifier = new CallEventNotifier({ bus: infra.bus, appName: 'intake-test', appVersion: '1', nodeId });
      const intake = new OriginateIntake({ bus: infra.bus, engine, calls: infra.calls, notifier, nodeId, appName: 'intake-test', appVersion: '1', logger: silentLogger, ...extra });
      await intake.start();
      intakes.push(intake);
      return intake;
    };
    const request = (body: Partial<MessageBody<typeof originateRequest>>): OriginateRequest =>
      buildMessage(originateRequest, { 'Application-Name': 'park', Endpoints: [{ 'Invite-Format': 'username', 'To-Username': 'u1', 'To-Realm': 'r.example' }], 'Server-ID': replyQueue, 'Custom-Channel-Vars': { 'Account-ID': 'acct-1' }, ...body } as MessageBody<typeof originateRequest>, envelope('kazoo-tool', '4.3'));
    const publish = (body: object, routingKey = 'originate.resource.req', headers: Record<string, string> = {}) => infra.bus.publish('callmgr', routingKey, body, { headers });

    beforeEach(async () => {
      infra = await scratchInfra(kind);
      replies.length = 0;
      events.length = 0;
      dead.length = 0;
      const anyRecord = z.record(z.string(), z.unknown());
      await infra.bus.declareQueue(replyQueue, { exclusive: true, bindings: [{ exchange: 'targeted', routingKey: replyQueue }] });
      await infra.bus.consume(replyQueue, anyRecord, async (m) => void replies.push(m));
      const evq = await infra.bus.declareQueue('', { exclusive: true, bindings: [{ exchange: 'callevt', routingKey: 'call.*.*' }] });
      await infra.bus.consume(evq, anyRecord, async (m) => void events.push(m));
      await infra.bus.consume(DEAD_LETTER_QUEUE, anyRecord, async (body, ctx) => void dead.push({ body, headers: ctx.headers }));
    });
    afterEach(async () => {
      for (const intake of intakes.splice(0)) await intake.stop();
      await infra.close([SHARED_ORIGINATE_QUEUE]);
    });

    it('runs a valid request with the account from the CCVs, and from the envelope', async () => {
      const engine = new FakeEngine();
      await start('n1', engine);
      await publish(request({ 'Outbound-Call-ID': 'c-1' }));
      await publish(request({ 'Outbound-Call-ID': 'c-2', 'Account-ID': 'acct-env', 'Custom-Channel-Vars': {} }));
      await waitFor(() => engine.runs.length === 2);
      const byId = new Map(engine.runs.map((r) => [r.req['Outbound-Call-ID'], r.accountId]));
      expect(byId).toEqual(new Map([['c-1', 'acct-1'], ['c-2', 'acct-env']]));
    });

    it('refuses an invalid request: error reply naming the field, originate_failed, dead-lettered with the reason', async () => {
      await start('n1', new FakeEngine());
      const bad: Rec = { ...request({ 'Outbound-Call-ID': 'bad-1' }) };
      delete bad['Endpoints'];
      await publish(bad);
      await waitFor(() => replies.length === 1 && events.length === 1 && dead.length === 1);
      expect(replies[0]).toMatchObject({ 'Event-Category': 'error', 'Event-Name': 'originate_resp', 'Msg-ID': bad['Msg-ID'], 'Error-Code': 'originate_invalid', Request: { 'Outbound-Call-ID': 'bad-1' } });
      expect(replies[0]['Error-Message']).toContain('Endpoints: is required');
      expect(events[0]).toMatchObject({ 'Event-Name': 'originate_failed', 'Call-ID': 'bad-1', 'Account-ID': 'acct-1' });
      expect(String(events[0]['Error-Message'])).toContain('Endpoints');
      expect(dead[0].body['Msg-ID']).toBe(bad['Msg-ID']);
      expect(String(dead[0].headers[DEAD_LETTER_HEADERS.reason])).toContain('Endpoints: is required');
    });

    it('refuses a request without any account, and one with no Server-ID still yields originate_failed', async () => {
      const engine = new FakeEngine();
      await start('n1', engine);
      await publish(request({ 'Outbound-Call-ID': 'no-acct', 'Custom-Channel-Vars': {} }));
      const silent: Rec = { ...request({ 'Outbound-Call-ID': 'quiet', Timeout: 5 }), Timeout: 'soon' };
      delete silent['Server-ID'];
      await publish(silent);
      await waitFor(() => dead.length === 2 && events.length === 2);
      expect(replies.map((r) => r['Error-Message'])).toEqual([expect.stringContaining('Account-ID: is required')]);
      expect(events.map((e) => e['Call-ID']).sort()).toEqual(['no-acct', 'quiet']);
      expect(engine.runs).toEqual([]);
    });

    it('does not block its consumer on a long originate, yet holds at most maxInFlight at once', async () => {
      const engine = new FakeEngine();
      engine.autoFinish = false;
      const intake = await start('n1', engine, { maxInFlight: 2 });
      for (const id of ['l-1', 'l-2', 'l-3']) await publish(request({ 'Outbound-Call-ID': id }));
      await waitFor(() => engine.runs.length === 2);
      await new Promise((r) => setTimeout(r, 100));
      expect(engine.runs.length).toBe(2);
      expect(intake.inFlight).toBe(2);
      engine.runs[0].finish({ ok: false, cause: 'NO_ANSWER', reason: 'test' });
      await waitFor(() => engine.runs.length === 3);
      for (const run of engine.runs.slice(1)) run.finish({ ok: true, callId: 'x' });
      await intake.settled();
      expect(intake.inFlight).toBe(0);
    });

    it('forwards a request whose Existing-Call-ID lives on another live node once; a forwarded one is never bounced', async () => {
      const [here, there] = [new FakeEngine(), new FakeEngine()];
      await start('node-here', here);
      await start('node-there', there);
      await infra.calls.nodes.heartbeat('node-there', 60_000);
      await infra.calls.nodes.heartbeat('node-here', 60_000);
      await infra.calls.calls.create({ callId: 'existing-1', accountId: 'acct-1', nodeId: 'node-there', leg: 'a' });
      await publish(request({ 'Application-Name': 'bridge', 'Existing-Call-ID': 'existing-1', 'Outbound-Call-ID': 'f-1' }), nodeOriginateRoutingKey('node-here'));
      await waitFor(() => there.runs.length === 1);
      // already forwarded by someone: run here even though the call lives elsewhere
      await publish(request({ 'Application-Name': 'bridge', 'Existing-Call-ID': 'existing-1', 'Outbound-Call-ID': 'f-2' }), nodeOriginateRoutingKey('node-here'), { [FORWARDED_BY_HEADER]: 'node-x' });
      await waitFor(() => here.runs.length === 1);
      expect(here.runs[0].req['Outbound-Call-ID']).toBe('f-2');
      expect(there.runs.map((r) => r.req['Outbound-Call-ID'])).toEqual(['f-1']);
    });

    it('forwards when every endpoint is connected to another node, runs here when the owner is dead', async () => {
      const [here, there] = [new FakeEngine(), new FakeEngine()];
      const owners = new Map<string, string>([['ws-user', 'node-there'], ['gone-user', 'node-gone']]);
      const resolver: EndpointResolver = {
        async resolve(req) {
          const endpoints = req.Endpoints.map((endpoint, index) => ({
            index, endpoint, callId: `leg-${index}`, requestUri: 'sip:x@127.0.0.1', target: { protocol: 'ws' as const, host: '127.0.0.1', port: 1 },
            headers: [], autoAnswer: false, ownerNode: owners.get(endpoint['To-Username'] ?? ''),
          }));
          return { endpoints, failures: [] };
        },
        async resolveRoute() {
          return { targets: [] };
        },
      };
      await infra.calls.nodes.heartbeat('node-there', 60_000);
      await start('node-here', here, { resolver });
      await start('node-there', there, { resolver });
      const ep = (user: string) => ({ 'Invite-Format': 'username' as const, 'To-Username': user, 'To-Realm': 'r.example' });
      await publish(request({ Endpoints: [ep('ws-user')], 'Outbound-Call-ID': 'w-1' }), nodeOriginateRoutingKey('node-here'));
      await publish(request({ Endpoints: [ep('gone-user')], 'Outbound-Call-ID': 'w-2' }), nodeOriginateRoutingKey('node-here'));
      await waitFor(() => there.runs.length === 1 && here.runs.length === 1);
      expect(there.runs[0].req['Outbound-Call-ID']).toBe('w-1');
      expect(here.runs[0].req['Outbound-Call-ID']).toBe('w-2');
    });

    it('resolves the endpoints of a request it runs here once, and hands that resolution to the engine', async () => {
      const engine = new FakeEngine();
      let calls = 0;
      const resolver: EndpointResolver = {
        async resolve(req) {
          calls += 1;
          const endpoints = req.Endpoints.map((endpoint, index) => ({
            index, endpoint, callId: `once-${index}`, requestUri: 'sip:x@127.0.0.1', target: { protocol: 'udp' as const, host: '127.0.0.1', port: 1 }, headers: [], autoAnswer: false,
          }));
          return { endpoints, failures: [] };
        },
        async resolveRoute() {
          return { targets: [] };
        },
      };
      await start('n1', engine, { resolver });
      await publish(request({ 'Outbound-Call-ID': 'r-1' }));
      await waitFor(() => engine.runs.length === 1);
      expect(calls).toBe(1);
      expect(engine.runs[0].resolved?.endpoints.map((e) => e.callId)).toEqual(['once-0']);
    });
  });
}

intakeContract('in-process');
intakeContract('rabbitmq+redis');
