import { waitFor } from '@legwork/common/testing';
import { silentLogger } from '@legwork/common';
import { z } from 'zod';
import { CallEventNotifier } from '../events/call-event.notifier';
import { NodeSweeper } from './node-sweeper';
import { type InfraKind, type ScratchInfra, scratchInfra } from '../testing/scratch-infra';

const notifierFor = (infra: ScratchInfra, nodeId: string) => new CallEventNotifier({ bus: infra.bus, appName: 'sweeper-test', appVersion: '1', nodeId });

/** The same behaviour on the in-process drivers and on RabbitMQ + Redis. */
function sweeperContract(kind: InfraKind): void {
  describe(`NodeSweeper on ${kind}`, () => {
    let infra: ScratchInfra;
    const events: Array<Record<string, unknown>> = [];

    beforeEach(async () => {
      infra = await scratchInfra(kind);
      events.length = 0;
      const q = await infra.bus.declareQueue('', { exclusive: true, bindings: [{ exchange: 'callevt', routingKey: 'call.*.*' }] });
      await infra.bus.consume(q, z.record(z.string(), z.unknown()), async (msg) => void events.push(msg));
    });
    afterEach(() => infra.close());

    async function deadNodeWithCalls(dead: string, accountId: string): Promise<void> {
      const { calls } = infra;
      await calls.nodes.heartbeat(dead, 30);
      for (const [callId, leg] of [[`${dead}-a`, 'a'], [`${dead}-b`, 'b']] as const) {
        await calls.calls.create({ callId, accountId, nodeId: dead, leg, cav: { Campaign: 'c1' } });
        await calls.calls.transition(callId, 'answer');
        expect(await calls.limits.acquire(accountId, callId, dead, 10)).toBe(true);
      }
      await waitFor(async () => (await calls.nodes.expiredNodes()).includes(dead));
    }

    it('ends a dead node\'s calls once even with two sweepers racing, publishes CHANNEL_DESTROY and frees the channels', async () => {
      await deadNodeWithCalls('dead-1', 'acct-1');
      await infra.calls.nodes.heartbeat('live-1', 60_000);
      const one = new NodeSweeper({ calls: infra.calls, notifier: notifierFor(infra, 's1'), nodeId: 's1', logger: silentLogger });
      const otherStore = infra.otherStore();
      const two = new NodeSweeper({ calls: otherStore, notifier: notifierFor(infra, 's2'), nodeId: 's2', logger: silentLogger });
      const [r1, r2] = await Promise.all([one.sweepOnce(), two.sweepOnce()]);
      expect([...r1.ended, ...r2.ended].sort()).toEqual(['dead-1-a', 'dead-1-b']);
      expect([...r1.nodes, ...r2.nodes]).toEqual(['dead-1']);
      expect(r1.reaped + r2.reaped).toBe(2);
      await waitFor(() => events.length >= 2);
      await new Promise((r) => setTimeout(r, 100));
      expect(events.map((e) => [e['Event-Name'], e['Call-ID']]).sort()).toEqual([['CHANNEL_DESTROY', 'dead-1-a'], ['CHANNEL_DESTROY', 'dead-1-b']]);
      expect(events[0]).toMatchObject({ 'Hangup-Cause': 'NORMAL_TEMPORARY_FAILURE', 'Custom-Channel-Vars': { 'Account-ID': 'acct-1' }, 'Custom-Application-Vars': { Campaign: 'c1' } });
      expect(typeof events[0]['Duration-Seconds']).toBe('number');
      expect(await infra.calls.limits.inUse('acct-1')).toBe(0);
      expect(await infra.calls.calls.listByNode('dead-1')).toEqual([]);
      expect((await infra.calls.calls.get('dead-1-a'))?.hangupCause).toBe('NORMAL_TEMPORARY_FAILURE');
      expect(await infra.calls.nodes.expiredNodes()).toEqual([]);
      expect(await infra.calls.nodes.isLive('live-1')).toBe(true);
      // a later sweep finds nothing left to do
      expect(await one.sweepOnce()).toEqual({ nodes: [], ended: [], reaped: 0 });
    });

    it('leaves live nodes and itself alone', async () => {
      await infra.calls.nodes.heartbeat('live-2', 60_000);
      await infra.calls.calls.create({ callId: 'live-call', accountId: 'acct-2', nodeId: 'live-2', leg: 'a' });
      await infra.calls.nodes.heartbeat('me', 30);
      await waitFor(async () => (await infra.calls.nodes.expiredNodes()).includes('me'));
      const sweeper = new NodeSweeper({ calls: infra.calls, notifier: notifierFor(infra, 'me'), nodeId: 'me', logger: silentLogger });
      expect(await sweeper.sweepOnce()).toEqual({ nodes: [], ended: [], reaped: 0 });
      expect((await infra.calls.calls.get('live-call'))?.state).toBe('new');
    });

    it('sweeps on its own timer once started, and stops cleanly', async () => {
      await deadNodeWithCalls('dead-3', 'acct-3');
      const sweeper = new NodeSweeper({ calls: infra.calls, notifier: notifierFor(infra, 's3'), nodeId: 's3', logger: silentLogger, intervalMs: 20 });
      sweeper.start();
      try {
        await waitFor(() => events.filter((e) => e['Event-Name'] === 'CHANNEL_DESTROY').length === 2);
      } finally {
        await sweeper.stop();
      }
      expect(await infra.calls.limits.inUse('acct-3')).toBe(0);
    });
  });
}

sweeperContract('in-process');
sweeperContract('rabbitmq+redis');
