import { waitFor } from '@legwork/common/testing';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Leg } from '../legs/leg';
import { EngineHarness } from '../testing/engine-harness';
import { TestPhone } from '../testing/test-phone';

const ep = (user: string) => ({ 'Invite-Format': 'username' as const, 'To-Username': user, 'To-Realm': 'example.com' });

/** A full collection, so WeakRefs tell what is still reachable. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('OriginateEngine: nothing of an ended call stays behind', () => {
  let h: EngineHarness;
  let device: TestPhone;
  let trunk: TestPhone;

  beforeEach(async () => {
    h = await EngineHarness.start();
    device = await TestPhone.start({ kind: 'answer' });
    trunk = await TestPhone.start({ kind: 'answer' });
    h.resolver.phones.set('alice', device);
    h.resolver.carrier = trunk;
  });

  afterEach(async () => {
    await Promise.all([device.close(), trunk.close()]);
    await h.close();
  });

  const sipIdle = (): boolean => {
    const s = h.sip.stats();
    return s.clientTransactions === 0 && s.serverTransactions === 0 && s.dialogs === 0;
  };

  /** One transferred call: A answers, the carrier answers, then the carrier hangs up; resolves with weak refs to both legs. */
  async function oneCall(): Promise<Array<WeakRef<Leg>>> {
    const outcome = await h.engine.originate(h.request({ 'Application-Name': 'transfer', 'Application-Data': { Route: '+15550001111' }, Endpoints: [ep('alice')] }), { accountId: h.accountId });
    if (!outcome.ok) throw new Error(outcome.cause);
    let bCallId = '';
    await waitFor(() => {
      bCallId = String(h.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === outcome.callId)?.['Call-ID'] ?? '');
      return bCallId !== '';
    }, { timeoutMs: 10_000 });
    const legs = [h.engine.findLeg(outcome.callId), h.engine.findLeg(bCallId)].map((leg) => {
      if (leg === undefined) throw new Error('leg not live');
      return new WeakRef(leg);
    });
    const dialog = trunk.dialogs.find((d) => d.state !== 'terminated' && d.callId === bCallId);
    if (dialog === undefined) throw new Error('carrier has no live dialog');
    await dialog.bye();
    await waitFor(() => h.eventsOf(outcome.callId).includes('CHANNEL_DESTROY') && h.eventsOf(bCallId).includes('CHANNEL_DESTROY'), { timeoutMs: 10_000 });
    return legs;
  }

  it('returns the SIP stack and the engine to empty after 300 complete calls', async () => {
    for (let i = 0; i < 300; i += 25) await Promise.all(Array.from({ length: 25 }, () => oneCall()));
    expect(h.engine.liveCallIds()).toEqual([]);
    expect(h.engine.stats()).toEqual({ legs: 0, sessions: 0 });
    expect(await h.inUse()).toBe(0);
    // transactions linger for Timer K/J/M (64*T1 with the shrunk test timers), then must all be gone
    await waitFor(sipIdle, { timeoutMs: 10_000 });
    expect(h.sip.stats()).toEqual({ clientTransactions: 0, serverTransactions: 0, dialogs: 0 });
  }, 60_000);

  it('lets ended calls be collected while their SIP transactions still linger', async () => {
    // a longer T1 (Timer M = 64*T1 = 9.6 s) keeps the accepted transactions around while a loaded machine settles
    await h.close();
    h = await EngineHarness.start({}, { timers: { T1: 150 } });
    h.resolver.phones.set('alice', device);
    h.resolver.carrier = trunk;
    const refs = (await Promise.all(Array.from({ length: 20 }, () => oneCall()))).flat();
    expect(refs).toHaveLength(40);
    // A leg's last BYE exchange may still be in flight when its DESTROY is seen: collect until that work settles.
    const alive = (): number => {
      collectGarbage();
      return refs.filter((ref) => ref.deref() !== undefined).length;
    };
    await waitFor(() => alive() === 0, { timeoutMs: 6_000 }).catch(() => undefined);
    // the accepted INVITE transactions wait for Timer M (9.6 s here); they must not keep the legs (and their sessions) alive
    expect(h.sip.stats().clientTransactions).toBeGreaterThan(0);
    expect(alive()).toBe(0);
  }, 30_000);
});
