import { waitFor } from '@legwork/common/testing';
import type { Dialog } from '@legwork/sip';
import { Controlled, bridged } from '../testing/controlled-engine';
import { EngineHarness } from '../testing/engine-harness';
import { TestPhone } from '../testing/test-phone';

/** Refer-To of an attended transfer toward the dialog `d` as the phone holds it; `theirs` writes the tags the phone's way round. */
const referTo = (d: Dialog, theirs = false): string => {
  const [to, from] = theirs ? [d.localTag, d.remoteTag] : [d.remoteTag, d.localTag];
  return `"Consulted" <sip:consulted@127.0.0.1?Replaces=${encodeURIComponent(`${d.callId};to-tag=${to};from-tag=${from}`)}>`;
};

describe('REFER with Replaces from a phone with two calls: the consultative transfer of the two, told back in NOTIFYs', () => {
  let h: EngineHarness;
  let c: Controlled;
  const closers: Array<{ close(): Promise<void> }> = [];
  const phone = async (): Promise<TestPhone> => {
    const p = await TestPhone.start({ kind: 'answer' });
    closers.push(p);
    return p;
  };
  /** The NOTIFY bodies (first line) the phone gets in a dialog. */
  const notifiesIn = (d: Dialog): string[] => {
    const got: string[] = [];
    d.onRequest('NOTIFY', (incoming) => {
      got.push(incoming.request.body.toString().trim());
      void incoming.reply(200);
    });
    return got;
  };

  beforeEach(async () => {
    h = await EngineHarness.start();
    c = await new Controlled(h).start();
  });
  afterEach(async () => {
    await c.stop();
    await Promise.all(closers.splice(0).map((p) => p.close()));
    await h.close();
  });

  it.each([false, true])('the held party is joined to the consulted one, the phone gets 202, 100 Trying, 200 OK and BYE on both calls (tags the phone\'s way round: %s)', async (theirs) => {
    const [device, held, consulted] = [await phone(), await phone(), await phone()];
    const one = await bridged(h, device, held, `att-one-${String(theirs)}`);
    const two = await bridged(h, device, consulted, `att-two-${String(theirs)}`);
    const [first, second] = device.dialogs;
    const notifies = notifiesIn(first);
    const refer = await first.request('REFER', { headers: [['Refer-To', referTo(second, theirs)], ['Referred-By', `<sip:${one.a}@127.0.0.1>`]] });
    expect(refer.status).toBe(202);
    await waitFor(() => device.byesReceived.length === 2, { timeoutMs: 10_000 });
    expect(device.byesReceived.sort()).toEqual([one.a, two.a].sort());
    expect(notifies).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);
    await waitFor(() => h.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Call-ID'] === one.b && e['Other-Leg-Call-ID'] === two.b), { timeoutMs: 10_000 });
    expect(h.event(one.a, 'CHANNEL_DESTROY')).toMatchObject({ Disposition: 'CONSULTATIVE_TRANSFER', 'Transferred-To': two.b });
    expect(h.event(two.a, 'CHANNEL_DESTROY')).toMatchObject({ Disposition: 'CONSULTATIVE_TRANSFER', 'Transferred-To': one.b });
    expect(held.byesReceived).toEqual([]);
    expect(consulted.byesReceived).toEqual([]);
  });

  it('a Replaces naming no dialog here or another user\'s call is 202 then NOTIFY 481, early-only is 486, a bad one is 400: the calls stay', async () => {
    const [device, other, x, y, z] = [await phone(), await phone(), await phone(), await phone(), await phone()];
    const mine = await bridged(h, device, x, 'att-mine');
    const own2 = await bridged(h, device, y, 'att-mine-2');
    const theirs = await bridged(h, other, z, 'att-theirs', 'bypass', 'user-2');
    const [first, second] = device.dialogs;
    const notifies = notifiesIn(first);
    const refer = (to: string): Promise<number> => first.request('REFER', { headers: [['Refer-To', to]] }).then((r) => r.status);

    // each accepted REFER is told out in its NOTIFYs before the next is sent
    const outcome = async (to: string): Promise<string[]> => {
      const before = notifies.length;
      expect(await refer(to)).toBe(202);
      await waitFor(() => notifies.length === before + 2, { timeoutMs: 10_000 });
      return notifies.slice(before);
    };
    const notFound = ['SIP/2.0 100 Trying', 'SIP/2.0 481 Call/Transaction Does Not Exist'];
    expect(await outcome(referTo(other.dialogs[0]))).toEqual(notFound);
    expect(await outcome('<sip:y@127.0.0.1?Replaces=nowhere%3Bto-tag%3D1%3Bfrom-tag%3D2>')).toEqual(notFound);
    // the right Call-ID with made-up tags names no dialog either
    expect(await outcome(`<sip:y@127.0.0.1?Replaces=${encodeURIComponent(`${second.callId};to-tag=${second.remoteTag};from-tag=guess`)}>`)).toEqual(notFound);
    expect(await outcome(`<sip:y@127.0.0.1?Replaces=${encodeURIComponent(`${second.callId};to-tag=${second.remoteTag};from-tag=${second.localTag};early-only`)}>`)).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 486 Busy Here']);
    // malformed: a bad escape, a CR/LF smuggled in escaped, a tag missing
    for (const bad of ['abc%ZZ%3Bto-tag%3D1%3Bfrom-tag%3D2', 'abc%0D%0AVia%3A%20x%3Bto-tag%3D1%3Bfrom-tag%3D2', 'abc%3Bto-tag%3D1']) {
      expect(await refer(`<sip:y@127.0.0.1?Replaces=${bad}>`)).toBe(400);
    }
    for (const id of [mine.a, mine.b, own2.a, own2.b, theirs.a, theirs.b]) expect(h.eventsOf(id)).not.toContain('CHANNEL_DESTROY');
    expect(device.byesReceived).toEqual([]);
    expect(other.byesReceived).toEqual([]);
  });

  it('a join the held party refuses (its re-INVITE answered 488) is NOTIFY 503, and the phone keeps both calls', async () => {
    const [device, held, consulted] = [await phone(), await phone(), await phone()];
    const one = await bridged(h, device, held, 'att-refused');
    const two = await bridged(h, device, consulted, 'att-refused-2');
    held.refuseReinvites = 488;
    const [first, second] = device.dialogs;
    const notifies = notifiesIn(first);
    expect((await first.request('REFER', { headers: [['Refer-To', referTo(second)]] })).status).toBe(202);
    await waitFor(() => notifies.length === 2, { timeoutMs: 10_000 });
    expect(notifies).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 503 Service Unavailable']);
    for (const id of [one.a, one.b, two.a, two.b]) expect(h.eventsOf(id)).not.toContain('CHANNEL_DESTROY');
    expect(device.byesReceived).toEqual([]);
  });
});
