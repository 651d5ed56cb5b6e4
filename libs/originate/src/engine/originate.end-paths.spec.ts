import { waitFor } from '@legwork/common/testing';
import { silentLogger } from '@legwork/common';
import { CallStateError } from '@legwork/call-state';
import { NodeSweeper } from '../sweeper/node-sweeper';
import { EngineHarness, type BusRecord } from '../testing/engine-harness';
import { TestPhone } from '../testing/test-phone';

/** However a leg ends, it gets exactly one CHANNEL_DESTROY, and a call's events are numbered 1…N over all its legs. */
describe('OriginateEngine end paths: one CHANNEL_DESTROY per leg, one Event-Sequence per call', () => {
  let h: EngineHarness;
  const phones: TestPhone[] = [];
  const phone = async (name: string, behaviour: TestPhone['behaviour']): Promise<TestPhone> => {
    const p = await TestPhone.start(behaviour);
    phones.push(p);
    h.resolver.phones.set(name, p);
    return p;
  };
  const ep = (user: string, callId: string) => ({ 'Invite-Format': 'username' as const, 'To-Username': user, 'To-Realm': 'example.com', 'Outbound-Call-ID': callId });
  const destroys = (callId: string): BusRecord[] => h.events.filter((e) => e['Call-ID'] === callId && e['Event-Name'] === 'CHANNEL_DESTROY');
  /** Waits for each leg's CHANNEL_DESTROY, then a little more, so a second one would have arrived. */
  const ended = async (legs: string[]): Promise<void> => {
    await waitFor(() => legs.every((id) => destroys(id).length > 0), { message: () => `CHANNEL_DESTROY of ${legs.join(', ')}: ${h.events.map((e) => `${String(e['Event-Name'])} ${String(e['Call-ID'])}`).join('; ')}` });
    await new Promise((resolve) => setTimeout(resolve, 250));
  };
  const expectOneDestroyEach = (legs: string[], cause: string): void => {
    expect(legs.map((id) => [id, destroys(id).map((e) => e['Hangup-Cause'])])).toEqual(legs.map((id) => [id, [cause]]));
  };
  /** Every event of the legs carries the first leg as Origination-Call-ID and the numbers 1…N, each once, in publish order per leg. */
  const expectOneSequence = (first: string, legs: string[]): void => {
    const ofCall = h.events.filter((e) => legs.includes(String(e['Call-ID'])));
    expect(new Set(ofCall.map((e) => e['Origination-Call-ID']))).toEqual(new Set([first]));
    expect(ofCall.map((e) => Number(e['Event-Sequence'])).sort((x, y) => x - y)).toEqual(ofCall.map((_, i) => i + 1));
    for (const leg of legs) {
      const seqs = ofCall.filter((e) => e['Call-ID'] === leg).map((e) => Number(e['Event-Sequence']));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
  };

  beforeEach(async () => {
    h = await EngineHarness.start();
  });
  afterEach(async () => {
    await Promise.all(phones.splice(0).map((p) => p.close()));
    await h.close();
  });

  it('store unreachable when a leg ends: its record is ended once the store answers again, not left up', async () => {
    const alice = await phone('alice', { kind: 'answer', delayMs: 20 });
    const end = h.store.calls.end.bind(h.store.calls);
    let refused = 0;
    // what the Redis call store throws once ioredis has spent its retries for a command while the server is away
    h.store.calls.end = async (callId, cause) => {
      if (refused < 2) {
        refused += 1;
        throw new CallStateError('store_unavailable', 'calls.get failed: Reached the max retries per request limit (which is 2).', { op: 'calls.get' });
      }
      return end(callId, cause);
    };
    const outcome = await h.engine.originate(h.request({ Endpoints: [ep('alice', 'away-a')] }), { accountId: h.accountId });
    expect(outcome.ok).toBe(true);
    await waitFor(() => h.events.some((e) => e['Event-Name'] === 'CHANNEL_ANSWER' && e['Call-ID'] === 'away-a'));
    await alice.hangup();
    await ended(['away-a']);
    await waitFor(async () => (await h.store.calls.get('away-a'))?.state === 'ended', { message: 'the record ended after the store came back', timeoutMs: 10_000 });
    expect(refused).toBe(2);
    expectOneDestroyEach(['away-a'], 'NORMAL_CLEARING');
  });

  it('hangup: the carrier hangs up a transferred call; both legs end once, numbered as one call', async () => {
    await phone('alice', { kind: 'answer', delayMs: 20 });
    const carrier = await TestPhone.start({ kind: 'answer', delayMs: 20 });
    phones.push(carrier);
    h.resolver.carrier = carrier;
    const outcome = await h.engine.originate(h.request({ 'Application-Name': 'transfer', 'Application-Data': { Route: '+15551234567' }, Endpoints: [ep('alice', 'hup-a')] }), { accountId: h.accountId });
    expect(outcome.ok).toBe(true);
    await waitFor(() => h.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Call-ID'] !== 'hup-a'));
    const b = String(h.events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Call-ID'] !== 'hup-a')?.['Call-ID']);
    await carrier.hangup();
    await ended(['hup-a', b]);
    expectOneDestroyEach(['hup-a', b], 'NORMAL_CLEARING');
    expectOneSequence('hup-a', ['hup-a', b]);
  });

  it('cancel: of two phones rung together, the one that did not answer is cancelled and ends once; the winner ends once on hangup', async () => {
    await phone('quick', { kind: 'answer', delayMs: 20 });
    await phone('slow', { kind: 'ring' });
    const outcome = await h.engine.originate(h.request({ Endpoints: [ep('quick', 'win-a'), ep('slow', 'lose-a')] }), { accountId: h.accountId });
    expect(outcome.ok).toBe(true);
    await ended(['lose-a']);
    expect(await h.engine.hangup('win-a')).toBe(true);
    await ended(['win-a']);
    expectOneDestroyEach(['lose-a'], String(destroys('lose-a')[0]?.['Hangup-Cause']));
    expect(destroys('lose-a')[0]?.['Hangup-Cause']).toMatch(/^[A-Z_]+$/);
    expectOneDestroyEach(['win-a'], 'NORMAL_CLEARING');
    expectOneSequence('win-a', ['win-a']);
    expectOneSequence('lose-a', ['lose-a']);
  });

  it('ring timeout: a phone that never answers is cancelled once its Timeout passes and ends once', async () => {
    await phone('deaf', { kind: 'ring' });
    const outcome = await h.engine.originate(h.request({ Endpoints: [ep('deaf', 'deaf-a')], Timeout: 1 }), { accountId: h.accountId });
    expect(outcome.ok).toBe(false);
    await ended(['deaf-a']);
    expect(destroys('deaf-a')).toHaveLength(1);
    expectOneSequence('deaf-a', ['deaf-a']);
  });

  it('drain: the calls left when the node stops end once each with SYSTEM_SHUTDOWN', async () => {
    await phone('p1', { kind: 'answer' });
    await phone('p2', { kind: 'answer' });
    for (const [user, id] of [['p1', 'drain-1'], ['p2', 'drain-2']]) await h.engine.originate(h.request({ Endpoints: [ep(user, id)] }), { accountId: h.accountId });
    await h.engine.drain(50);
    await ended(['drain-1', 'drain-2']);
    expectOneDestroyEach(['drain-1', 'drain-2'], 'SYSTEM_SHUTDOWN');
    expectOneSequence('drain-1', ['drain-1']);
  });

  it('failover sweep: another node sweeps a node it wrongly took for dead; when the call then ends here, no second CHANNEL_DESTROY goes out', async () => {
    await phone('alive', { kind: 'answer' });
    await h.engine.originate(h.request({ Endpoints: [ep('alive', 'swept-a')] }), { accountId: h.accountId });
    await h.store.nodes.heartbeat(h.nodeId, 1);
    await waitFor(async () => (await h.store.nodes.expiredNodes()).includes(h.nodeId));
    const other = new NodeSweeper({ calls: h.store, notifier: h.engine.notifier, nodeId: 'other-node', logger: silentLogger });
    expect((await other.sweepOnce()).ended).toEqual(['swept-a']);
    await ended(['swept-a']);
    expect(await h.engine.hangup('swept-a')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expectOneDestroyEach(['swept-a'], 'NORMAL_TEMPORARY_FAILURE');
    expectOneSequence('swept-a', ['swept-a']);
  });
});
