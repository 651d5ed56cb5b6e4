import { waitFor } from '@legwork/common/testing';
import { newId, silentLogger } from '@legwork/common';
import { createCallStore, type CallRecord } from '@legwork/call-state';
import { z } from 'zod';
import { CallEventNotifier } from './call-event.notifier';
import { NodeSweeper } from '../sweeper/node-sweeper';
import { type InfraKind, type ScratchInfra, scratchInfra } from '../testing/scratch-infra';

type Got = { body: Record<string, unknown>; headers: Record<string, unknown> };

/** Event-Sequence and the event log, on the in-process drivers and on RabbitMQ + Redis. */
function sequenceContract(kind: InfraKind): void {
  describe(`Event-Sequence on ${kind}`, () => {
    let infra: ScratchInfra;
    const got: Got[] = [];

    beforeEach(async () => {
      infra = await scratchInfra(kind);
      got.length = 0;
      const q = await infra.bus.declareQueue('', { exclusive: true, bindings: [{ exchange: 'callevt', routingKey: '#' }] });
      await infra.bus.consume(q, z.record(z.string(), z.unknown()), async (body, ctx) => void got.push({ body, headers: ctx.headers }));
    });
    afterEach(() => infra.close());

    const notifier = (nodeId: string, store = infra.calls) => new CallEventNotifier({ bus: infra.bus, appName: 'sequence-test', appVersion: '1', nodeId, events: store.events, logger: silentLogger });

    it('counts both legs of a call in one sequence, across the node that died and the one that swept it, with one CHANNEL_DESTROY per leg', async () => {
      const [dead, account, a, b] = [`dead-${newId().slice(0, 6)}`, `acct-${newId().slice(0, 8)}`, `a-${newId()}`, `b-${newId()}`];
      const n1 = notifier(dead);
      await infra.calls.nodes.heartbeat(dead, 300);
      let legA = await infra.calls.calls.create({ callId: a, accountId: account, nodeId: dead, leg: 'a' });
      await n1.publish('CHANNEL_CREATE', legA);
      legA = await infra.calls.calls.transition(a, 'answer');
      await n1.publish('CHANNEL_ANSWER', legA);
      let legB = await infra.calls.calls.create({ callId: b, accountId: account, nodeId: dead, leg: 'b', peerCallId: a });
      await Promise.all([n1.publish('CHANNEL_CREATE', legB), n1.publish('CHANNEL_PROGRESS', legA)]);
      legB = await infra.calls.calls.transition(b, 'answer');
      await n1.publish('CHANNEL_ANSWER', legB);
      await waitFor(async () => (await infra.calls.nodes.expiredNodes()).includes(dead));

      const otherStore = infra.otherStore();
      const report = await new NodeSweeper({ calls: otherStore, notifier: notifier('sweeper-2', otherStore), nodeId: 'sweeper-2', logger: silentLogger }).sweepOnce();
      expect(report.ended.sort()).toEqual([a, b].sort());
      // the dead node comes back and ends the legs itself: the sweep already did, so nothing more goes out
      const ended = (await infra.calls.calls.get(a)) as CallRecord;
      await n1.publish('CHANNEL_DESTROY', ended);
      await n1.publish('CHANNEL_DESTROY', (await infra.calls.calls.get(b)) as CallRecord);
      await waitFor(() => got.length >= 7);
      await new Promise((resolve) => setTimeout(resolve, 150));

      expect(got).toHaveLength(7);
      expect(got.map((g) => g.body['Event-Sequence']).sort((x, y) => Number(x) - Number(y))).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(new Set(got.map((g) => g.body['Origination-Call-ID']))).toEqual(new Set([a]));
      const destroys = got.filter((g) => g.body['Event-Name'] === 'CHANNEL_DESTROY');
      expect(destroys.map((g) => g.body['Call-ID']).sort()).toEqual([a, b].sort());
      expect(destroys.map((g) => [g.body['Media-Server'], g.body['Hangup-Cause']])).toEqual([['sweeper-2', 'NORMAL_TEMPORARY_FAILURE'], ['sweeper-2', 'NORMAL_TEMPORARY_FAILURE']]);
      expect(destroys.every((g) => Number(g.body['Event-Sequence']) > 5)).toBe(true);
      // per leg, in the order each leg published them
      for (const leg of [a, b]) {
        const seqs = got.filter((g) => g.body['Call-ID'] === leg).map((g) => Number(g.body['Event-Sequence']));
        expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      }

      // the account's log holds the same events, numbered the same, in sequence order
      const page = await infra.calls.events.readAfter(account, '0-0', 100);
      expect(page.complete).toBe(true);
      expect(page.events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      const byCursor = new Map(got.map((g) => [g.headers['event-cursor'], g.body]));
      for (const entry of page.events) expect({ ...JSON.parse(entry.payload), 'Event-Sequence': entry.sequence }).toEqual(byCursor.get(entry.cursor));
    });

    it('publishes the JSON the event log was given with its sequence appended, byte for byte what serializing the message gives', async () => {
      const publish = jest.spyOn(infra.bus, 'publish');
      const account = `acct-${newId().slice(0, 8)}`;
      const a = `a-${newId()}`;
      const n1 = notifier('n1');
      const legA = await infra.calls.calls.create({ callId: a, accountId: account, nodeId: 'n1', leg: 'a', from: 'quote " é 🎉', cav: { note: 'x/y' } });
      await n1.publish('CHANNEL_CREATE', legA);
      await n1.publish('CHANNEL_ANSWER', await infra.calls.calls.transition(a, 'answer'));
      await waitFor(() => got.length === 2);
      const sent = publish.mock.calls.map(([, , body, opts]) => ({ body, json: opts?.json }));
      expect(sent).toHaveLength(2);
      for (const { body, json } of sent) expect(json).toBe(JSON.stringify(body));
      expect(got.map((g) => g.body)).toEqual(sent.map(({ body }) => body));
      expect(got.map((g) => g.body['Event-Sequence'])).toEqual([1, 2]);
    });

    it('numbers originate_failed under the id it is routed by, in its account\'s log', async () => {
      const account = `acct-${newId().slice(0, 8)}`;
      const outbound = `out-${newId()}`;
      await notifier('n1').originateFailed({ 'Msg-ID': 'm-1', 'Outbound-Call-ID': outbound, 'Account-ID': account } as never, 'NO_ANSWER', 'nothing rang');
      await waitFor(() => got.length === 1);
      expect(got[0].body).toMatchObject({ 'Event-Name': 'originate_failed', 'Event-Sequence': 1 });
      expect(got[0].headers['event-cursor']).toBe(await infra.calls.events.head(account));
    });
  });
}

sequenceContract('in-process');
sequenceContract('rabbitmq+redis');

describe('Event-Sequence when the event log is unreachable', () => {
  it('still publishes the event, unnumbered', async () => {
    const infra = await scratchInfra('in-process');
    try {
      const got: Array<Record<string, unknown>> = [];
      const q = await infra.bus.declareQueue('', { exclusive: true, bindings: [{ exchange: 'callevt', routingKey: '#' }] });
      await infra.bus.consume(q, z.record(z.string(), z.unknown()), async (body) => void got.push(body));
      // a real Redis driver whose server is not there
      const unreachable = createCallStore({ url: 'redis://127.0.0.1:1', prefix: 'unreachable:' });
      const n = new CallEventNotifier({ bus: infra.bus, appName: 't', appVersion: '1', nodeId: 'n1', events: unreachable.events, logger: silentLogger });
      const record = await infra.calls.calls.create({ callId: `c-${newId()}`, accountId: 'acct-x', nodeId: 'n1', leg: 'a' });
      await n.publish('CHANNEL_CREATE', record);
      await waitFor(() => got.length === 1);
      expect(got[0]).not.toHaveProperty('Event-Sequence');
      expect(got[0]['Event-Name']).toBe('CHANNEL_CREATE');
      await unreachable.close();
    } finally {
      await infra.close();
    }
  });
});
