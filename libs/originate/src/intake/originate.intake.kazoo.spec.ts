import { waitFor } from '@legwork/common/testing';
import { DEAD_LETTER_QUEUE } from '@legwork/bus';
import { silentLogger } from '@legwork/common';
import { buildMessage, envelope, originateExecute, originateRequest, routeFor, type MessageBody, type OriginateRequest } from '@legwork/contracts';
import { z } from 'zod';
import type { OriginateOutcome } from '../engine/originate.outcome';
import type { OriginateMeta } from '../engine/originate.types';
import { CallEventNotifier } from '../events/call-event.notifier';
import { type InfraKind, type ScratchInfra, scratchInfra } from '../testing/scratch-infra';
import type { AccountsByRealm } from './account-resolution';
import { OriginateExecuteGate } from './originate-execute.gate';
import { OriginateIntake, SHARED_ORIGINATE_QUEUE, type OriginateRunner } from './originate.intake';

type Rec = Record<string, unknown>;

class RecordingEngine implements OriginateRunner {
  readonly runs: Array<{ req: OriginateRequest; meta: OriginateMeta }> = [];
  async originate(req: OriginateRequest, meta: OriginateMeta): Promise<OriginateOutcome> {
    this.runs.push({ req, meta });
    return { ok: true, callId: 'x' };
  }
}

const accounts: AccountsByRealm = {
  async findByRealm(realm) {
    return { 'acme.example': { id: 'acct-acme' }, 'also-acme.example': { id: 'acct-acme' }, 'other.example': { id: 'acct-other' } }[realm] ?? null;
  },
};

function kazooContract(kind: InfraKind): void {
  describe(`OriginateIntake, Kazoo's way, on ${kind}`, () => {
    let infra: ScratchInfra;
    let intake: OriginateIntake;
    let gate: OriginateExecuteGate;
    let engine: RecordingEngine;
    const replies: Rec[] = [];
    const dead: Rec[] = [];
    const replyQueue = `replies-${Math.random().toString(16).slice(2, 10)}`;
    const ep = (realm: string) => ({ 'Invite-Format': 'username' as const, 'To-Username': 'u1', 'To-Realm': realm });
    const request = (body: Partial<MessageBody<typeof originateRequest>>): OriginateRequest =>
      buildMessage(originateRequest, { 'Application-Name': 'park', Endpoints: [ep('acme.example')], 'Server-ID': replyQueue, ...body } as MessageBody<typeof originateRequest>, envelope('kazoo-tool', '4.3'));
    const publish = (body: object) => infra.bus.publish('callmgr', 'originate.resource.req', body);

    beforeEach(async () => {
      infra = await scratchInfra(kind);
      replies.length = 0;
      dead.length = 0;
      engine = new RecordingEngine();
      gate = new OriginateExecuteGate({ bus: infra.bus, nodeId: 'n1', logger: silentLogger, timeoutMs: 300 });
      await gate.start();
      const notifier = new CallEventNotifier({ bus: infra.bus, appName: 'intake-test', appVersion: '1', nodeId: 'n1' });
      intake = new OriginateIntake({ bus: infra.bus, engine, calls: infra.calls, notifier, nodeId: 'n1', appName: 'intake-test', appVersion: '1', logger: silentLogger, accounts, handshake: gate });
      await intake.start();
      const anyRecord = z.record(z.string(), z.unknown());
      await infra.bus.declareQueue(replyQueue, { exclusive: true, bindings: [{ exchange: 'targeted', routingKey: replyQueue }] });
      await infra.bus.consume(replyQueue, anyRecord, async (m) => void replies.push(m));
      await infra.bus.consume(DEAD_LETTER_QUEUE, anyRecord, async (body) => void dead.push(body));
    });
    afterEach(async () => {
      await intake.stop();
      await gate.stop();
      await infra.close([SHARED_ORIGINATE_QUEUE]);
    });

    it('runs a request without Account-ID for the account owning its endpoints’ To-Realm, and refuses one whose realms name no account or several', async () => {
      await publish(request({ 'Outbound-Call-ID': 'realm-1', Endpoints: [ep('ACME.example'), ep('also-acme.example')] }));
      await waitFor(() => engine.runs.length === 1);
      expect(engine.runs[0].meta.accountId).toBe('acct-acme');
      await publish(request({ 'Outbound-Call-ID': 'realm-2', Endpoints: [ep('nobody.example')] }));
      await publish(request({ 'Outbound-Call-ID': 'realm-3', Endpoints: [ep('acme.example'), ep('other.example')] }));
      await waitFor(() => replies.length === 2);
      expect(replies.map((r) => r['Error-Message'])).toEqual(expect.arrayContaining([
        expect.stringContaining('no account owns the To-Realm nobody.example'), expect.stringContaining('belong to different accounts'),
      ]));
      expect(engine.runs).toHaveLength(1);
    });

    it('asks for the handshake for a park without Originate-Immediate: true, and for any application with an explicit false', async () => {
      await publish(request({ 'Outbound-Call-ID': 'h-park', 'Custom-Channel-Vars': { 'Account-ID': 'acct-acme' } }));
      await publish(request({ 'Outbound-Call-ID': 'h-now', 'Originate-Immediate': true }));
      await publish(request({ 'Outbound-Call-ID': 'h-transfer', 'Application-Name': 'transfer', 'Application-Data': { Route: '2000' } }));
      await publish(request({ 'Outbound-Call-ID': 'h-asked', 'Application-Name': 'transfer', 'Application-Data': { Route: '2000' }, 'Originate-Immediate': false }));
      await waitFor(() => engine.runs.length === 4);
      const waits = new Map(engine.runs.map((r) => [r.req['Outbound-Call-ID'], r.meta.handshake === gate]));
      expect(waits).toEqual(new Map([['h-park', true], ['h-now', false], ['h-transfer', false], ['h-asked', true]]));
    });

    it('hands an originate_execute on its queue to the call waiting for it, with the Server-ID later replies go to; times out otherwise', async () => {
      const waiting = gate.expect('call-7');
      const late = gate.expect('call-8');
      const execute = buildMessage(originateExecute, { 'Call-ID': 'call-7', 'Server-ID': 'tool-queue-2' }, envelope('kazoo-tool', '4.3'));
      const { exchange, routingKey } = routeFor(originateExecute, execute, gate.serverId);
      await infra.bus.publish(exchange, routingKey, execute);
      await infra.bus.publish(exchange, routingKey, { ...execute, 'Call-ID': '' });
      expect(await waiting).toEqual({ serverId: 'tool-queue-2' });
      expect(await late).toBeUndefined();
      await waitFor(() => dead.length === 1);
      expect(dead[0]['Call-ID']).toBe('');
    });
  });
}

kazooContract('in-process');
kazooContract('rabbitmq+redis');
