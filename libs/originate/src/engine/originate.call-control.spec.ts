import { waitFor } from '@legwork/common/testing';
import { directionOf, mediaSummary } from '@legwork/sip';
import { Controlled, bridged, ep } from '../testing/controlled-engine';
import { EngineHarness } from '../testing/engine-harness';
import { TestPhone } from '../testing/test-phone';

describe('call control on a live call: hold, unhold, reconnect, blind transfer (bypass)', () => {
  let h: EngineHarness;
  let c: Controlled;
  const closers: Array<{ close(): Promise<void> }> = [];
  const phone = async (kind: 'answer' | 'ring' = 'answer'): Promise<TestPhone> => {
    const p = await TestPhone.start({ kind });
    closers.push(p);
    return p;
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

  it('hold re-INVITEs the held party sendonly (recvonly back) with CHANNEL_HOLD; unhold restores sendrecv with CHANNEL_UNHOLD; repeats are invalid_state', async () => {
    const [device, carrier] = [await phone(), await phone()];
    const call = await bridged(h, device, carrier, 'hold-a');
    const invites = carrier.transactionsOf('INVITE').length;
    expect(await c.command({ 'Application-Name': 'hold', 'Call-ID': call.b })).toMatchObject({ Result: 'ok', 'Call-State': 'held' });
    expect(carrier.transactionsOf('INVITE')).toHaveLength(invites + 1);
    expect(directionOf(carrier.receivedSdp.at(-1) ?? '')).toBe('sendonly');
    expect(h.event(call.b, 'CHANNEL_HOLD')).toMatchObject({ 'Other-Leg-Call-ID': call.a });
    expect((await h.store.calls.get(call.b))?.hold).toBe('local');
    expect(await c.command({ 'Application-Name': 'hold', 'Call-ID': call.b })).toMatchObject({ Result: 'invalid_state', 'Call-State': 'held', 'Result-Message': `call ${call.b} is already on hold` });

    expect(await c.command({ 'Application-Name': 'unhold', 'Call-ID': call.b })).toMatchObject({ Result: 'ok', 'Call-State': 'bridged' });
    expect(directionOf(carrier.receivedSdp.at(-1) ?? '')).toBe('sendrecv');
    await waitFor(() => h.eventsOf(call.b).includes('CHANNEL_UNHOLD'));
    expect(await c.command({ 'Application-Name': 'unhold', 'Call-ID': call.b })).toMatchObject({ Result: 'invalid_state', 'Call-State': 'bridged', 'Result-Message': `call ${call.b} is not on hold` });
    // the device was never touched
    expect(device.transactionsOf('INVITE').length).toBeLessThanOrEqual(2);
  });

  it('hold of a call still ringing, and of one that ended: invalid_state naming the state', async () => {
    const ringing = await phone('ring');
    h.resolver.phones.set('ringer', ringing);
    // the originate resolves only once ringing is decided: it rings on meanwhile
    const rung = h.engine.originate(h.request({ Endpoints: [ep('ringer', 'ring-a')], Timeout: 20 }), { accountId: h.accountId });
    await waitFor(() => h.eventsOf('ring-a').includes('CHANNEL_PROGRESS'));
    expect(await c.command({ 'Application-Name': 'hold', 'Call-ID': 'ring-a' })).toMatchObject({ Result: 'invalid_state', 'Call-State': 'ringing', 'Result-Message': 'call ring-a has not been answered yet' });
    expect(await c.command({ 'Application-Name': 'blind_transfer', 'Call-ID': 'ring-a', 'Transfer-To': '+15550002222' })).toMatchObject({ Result: 'invalid_state', 'Call-State': 'ringing' });
    await h.engine.hangup('ring-a');
    await waitFor(() => h.eventsOf('ring-a').includes('CHANNEL_DESTROY'));
    await rung;
    expect(await c.command({ 'Application-Name': 'unhold', 'Call-ID': 'ring-a' })).toMatchObject({ Result: 'invalid_state', 'Call-State': 'ended' });
    expect(await c.command({ 'Application-Name': 'reconnect', 'Call-ID': 'ring-a' })).toMatchObject({ Result: 'invalid_state', 'Call-State': 'ended' });
  });

  it("reconnect takes the held call off hold and releases the same user's other calls, not another user's", async () => {
    const phones = await Promise.all([phone(), phone(), phone(), phone(), phone(), phone()]);
    const mine = await bridged(h, phones[0], phones[1], 'mine-a');
    const other = await bridged(h, phones[2], phones[3], 'other-a');
    const stranger = await bridged(h, phones[4], phones[5], 'stranger-a', 'bypass', 'user-2');
    expect(await c.command({ 'Application-Name': 'hold', 'Call-ID': mine.b })).toMatchObject({ Result: 'ok' });
    const reply = await c.command({ 'Application-Name': 'reconnect', 'Call-ID': mine.b });
    expect(reply).toMatchObject({ Result: 'ok', 'Call-State': 'bridged' });
    expect([...((reply['Result-Data'] as Record<string, string[]>)['Released-Call-IDs'])].sort()).toEqual([other.a, other.b].sort());
    expect(directionOf(phones[1].receivedSdp.at(-1) ?? '')).toBe('sendrecv');
    await waitFor(() => h.eventsOf(other.a).includes('CHANNEL_DESTROY') && h.eventsOf(other.b).includes('CHANNEL_DESTROY'));
    expect(h.eventsOf(mine.a)).not.toContain('CHANNEL_DESTROY');
    expect(h.eventsOf(stranger.a)).not.toContain('CHANNEL_DESTROY');
  });

  it('blind transfer: the transferring leg ends, the remaining party is dialled to the new destination and bridged to it', async () => {
    const [device, first, second] = [await phone(), await phone(), await phone()];
    const call = await bridged(h, device, first, 'xfer-a');
    h.resolver.carrier = second;
    const reply = await c.command({ 'Application-Name': 'blind_transfer', 'Call-ID': call.a, 'Transfer-To': '+15550002222' });
    expect(reply).toMatchObject({ Result: 'ok', 'Call-State': 'ended', 'Result-Data': { 'Other-Leg-Call-ID': call.b, 'Transfer-To': '+15550002222' } });
    await waitFor(() => device.byesReceived.length === 1 && h.eventsOf(call.a).includes('CHANNEL_DESTROY'));
    expect(h.event(call.a, 'CHANNEL_DESTROY')).toMatchObject({ Disposition: 'BLIND_TRANSFER', 'Transfer-To': '+15550002222' });
    let c3 = '';
    await waitFor(() => {
      c3 = String(h.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === call.b && e['Call-ID'] !== call.a)?.['Call-ID'] ?? '');
      return c3 !== '' && h.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Call-ID'] === call.b && e['Other-Leg-Call-ID'] === c3);
    }, { timeoutMs: 10_000 });
    expect(h.eventsOf(call.b)).toContain('CHANNEL_UNBRIDGE');
    // bypass: the new destination gets the remaining party's own session, and the remaining party its answer
    expect(mediaSummary(second.receivedSdp[0] ?? '')?.port).toBe(first.media.port);
    await waitFor(() => mediaSummary(first.receivedSdp.at(-1) ?? '')?.port === second.media.port);
    expect((await h.store.calls.get(call.b))?.peerCallId).toBe(c3);
    await second.hangup();
    await waitFor(() => h.eventsOf(call.b).includes('CHANNEL_DESTROY') && h.eventsOf(c3).includes('CHANNEL_DESTROY'));
  });

  it('blind transfer to nowhere fails and leaves the call as it was', async () => {
    const [device, first] = [await phone(), await phone()];
    const call = await bridged(h, device, first, 'nowhere-a');
    h.resolver.carrier = undefined;
    expect(await c.command({ 'Application-Name': 'blind_transfer', 'Call-ID': call.a, 'Transfer-To': '+15550002222' })).toMatchObject({ Result: 'failed', 'Result-Message': 'transfer to +15550002222 failed: no carrier' });
    expect(h.eventsOf(call.a)).not.toContain('CHANNEL_DESTROY');
    expect(device.byesReceived).toHaveLength(0);
  });
});

