import { waitFor } from '@legwork/common/testing';
import { parseSippLog, receivedRequests, receivedTransactions, SippCarrier, sentResponses } from '../src/testing/sipp';
import { EngineHarness, carrierAt } from '../src/testing/engine-harness';
import { TestPhone } from '../src/testing/test-phone';

jest.setTimeout(60_000);

/** The engine against sipp carriers that use RFC 3262 and RFC 4028: what they send, what they expect back. */
describe('OriginateEngine and carrier extensions (sipp)', () => {
  let h: EngineHarness | undefined;
  let device: TestPhone | undefined;
  let carrier: SippCarrier | undefined;
  const ep = { 'Invite-Format': 'username' as const, 'To-Username': 'alice', 'To-Realm': 'example.com' };

  afterEach(async () => {
    await carrier?.stop();
    await device?.close();
    await h?.close();
  });

  async function transferTo(behaviour: '100rel' | 'session-timer', harness: Parameters<typeof EngineHarness.start>[1] = {}, keys: Record<string, string> = {}) {
    h = await EngineHarness.start({}, harness);
    device = await TestPhone.start({ kind: 'answer' });
    carrier = await SippCarrier.start({ behaviour, keys });
    h.resolver.phones.set('alice', device);
    h.resolver.carrier = carrierAt(carrier.port);
    const outcome = await h.engine.originate(h.request({ 'Application-Name': 'transfer', 'Application-Data': { Route: '+15551230000' }, Endpoints: [ep] }), { accountId: h.accountId });
    if (!outcome.ok) throw new Error(outcome.reason);
    const engine = h;
    await waitFor(() => engine.events.filter((e) => e['Event-Name'] === 'CHANNEL_BRIDGE').length === 2, { timeoutMs: 15_000 });
    const bCallId = String(engine.events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Call-ID'] !== outcome.callId)?.['Call-ID']);
    return { h: engine, device, carrier, aCallId: outcome.callId, bCallId };
  }

  it('PRACKs a carrier 183 that requires 100rel once, hears no 183 after it, and completes the call on the answer the 183 carried', async () => {
    const call = await transferTo('100rel');
    const log = call.carrier.messages();
    const [invite] = receivedRequests(log, 'INVITE');
    expect(invite?.headers['supported']?.[0]).toContain('100rel');
    // the PRACK's transaction may retransmit it over UDP when the carrier's 200 is slow; a second PRACK would have its own CSeq
    const pracks = receivedTransactions(log, 'PRACK');
    expect(pracks.map((p) => p.headers['rack']?.[0])).toEqual(['1 1 INVITE']);
    const messages = parseSippLog(log);
    const prackAt = messages.findIndex((m) => m.direction === 'received' && m.startLine.startsWith('PRACK '));
    const sent183 = messages.flatMap((m, i) => (m.direction === 'sent' && m.startLine.startsWith('SIP/2.0 183 ') ? [i] : []));
    expect(sent183.length).toBeGreaterThan(0);
    expect(sent183.every((i) => i < prackAt)).toBe(true);
    expect(sentResponses(log, 200).length).toBeGreaterThanOrEqual(2);
    // the carrier's answer reached the device (its 2xx repeated none)
    await waitFor(() => call.device.receivedSdp.length === 2);
    expect(call.device.receivedSdp[1]).toMatch(/^o=legwork .*$/m);
    expect(call.device.receivedSdp[1]).not.toContain('a=inactive');
    await call.device.hangup();
    await waitFor(() => call.h.eventsOf(call.bCallId).includes('CHANNEL_DESTROY') && call.h.eventsOf(call.aCallId).includes('CHANNEL_DESTROY'));
    const code = await call.carrier.exited;
    if (code !== 0) throw new Error(`the carrier scenario failed (${String(code)}):\n${call.carrier.log}`);
    expect(sentResponses(call.carrier.messages(), 183).length).toBe(sent183.length);
    expect(await call.h.inUse()).toBe(0);
  });

  it('refreshes a carrier session at half its interval, and when a refresh goes unanswered ends both legs with events and the channels back', async () => {
    // the carrier's interval is 4 s: the stack's Min-SE is lowered for the test (production keeps the RFC's 90 s)
    const call = await transferTo('session-timer', { sessionTimer: { expires: 1800, minSE: 1 } }, { session_expires: '4' });
    await waitFor(() => call.h.eventsOf(call.bCallId).includes('CHANNEL_DESTROY') && call.h.eventsOf(call.aCallId).includes('CHANNEL_DESTROY'), { timeoutMs: 20_000 });
    expect(call.h.event(call.bCallId, 'CHANNEL_DESTROY')?.['Hangup-Cause']).toBe('RECOVERY_ON_TIMER_EXPIRE');
    expect(call.h.event(call.aCallId, 'CHANNEL_DESTROY')?.['Hangup-Cause']).toBe('NORMAL_CLEARING');
    const code = await call.carrier.exited;
    if (code !== 0) throw new Error(`the carrier scenario failed (${String(code)}):\n${call.carrier.log}`);
    const log = call.carrier.messages();
    const updates = receivedRequests(log, 'UPDATE');
    expect(new Set(updates.map((u) => u.headers['cseq']?.[0])).size).toBe(2);
    expect(updates[0]?.headers['session-expires']?.[0]).toBe('4;refresher=uac');
    expect(receivedRequests(log, 'BYE').length).toBeGreaterThanOrEqual(1);
    await waitFor(() => call.device.byesReceived.length === 1);
    expect(await call.h.inUse()).toBe(0);
    expect(call.h.engine.liveCallIds()).toEqual([]);
  });
});
