import { waitFor } from '@legwork/common/testing';
import type { CallRecord, LegState } from '@legwork/call-state';
import { z } from 'zod';
import { CallEventNotifier, type ChannelEventName } from './call-event.notifier';
import { type ScratchInfra, scratchInfra } from '../testing/scratch-infra';

type Got = { body: Record<string, unknown>; headers: Record<string, unknown>; routingKey: string };

const CREATED_MS = Date.UTC(2026, 0, 1, 12, 0, 0, 250);

function record(callId: string, state: LegState, extra: Partial<CallRecord> = {}): CallRecord {
  return { callId, accountId: 'acct-1', nodeId: 'n1', leg: 'a', state, recording: 'off', cav: {}, dialect: {}, createdAt: CREATED_MS, updatedAt: CREATED_MS, ...extra } as CallRecord;
}

describe('CallEventNotifier: Kazoo fields and headers of call events', () => {
  let infra: ScratchInfra;
  let notifier: CallEventNotifier;
  const got: Got[] = [];

  beforeEach(async () => {
    infra = await scratchInfra('in-process');
    got.length = 0;
    const q = await infra.bus.declareQueue('', { exclusive: true, bindings: [{ exchange: 'callevt', routingKey: '#' }] });
    await infra.bus.consume(q, z.record(z.string(), z.unknown()), async (body, ctx) => void got.push({ body, headers: ctx.headers, routingKey: ctx.routingKey }));
    notifier = new CallEventNotifier({ bus: infra.bus, appName: 'notifier-test', appVersion: '1', nodeId: 'n1' });
  });
  afterEach(() => infra.close());

  const states = (callId: string): Array<[unknown, unknown]> => got.filter((g) => g.body['Call-ID'] === callId).map((g) => [g.body['Event-Name'], g.body['Channel-Call-State']]);

  async function leg(callId: string, steps: Array<[ChannelEventName, LegState, Partial<CallRecord>?]>): Promise<void> {
    for (const [name, state, extra] of steps) await notifier.publish(name, record(callId, state, extra));
    await waitFor(() => got.filter((g) => g.body['Call-ID'] === callId).length === steps.length);
  }

  it("carries FreeSWITCH's Channel-Call-State: the state before each change, CHANNEL_ANSWER the state it was answered from", async () => {
    const rang = { ringingAt: CREATED_MS + 100, peerCallId: 'other-leg' };
    await leg('after-180', [['CHANNEL_CREATE', 'new'], ['CHANNEL_PROGRESS', 'ringing', rang], ['CHANNEL_ANSWER', 'answered', rang], ['CHANNEL_BRIDGE', 'bridged', rang], ['CHANNEL_DESTROY', 'ended', rang]]);
    await leg('after-183', [['CHANNEL_CREATE', 'new'], ['CHANNEL_PROGRESS', 'early', rang], ['CHANNEL_ANSWER', 'answered', rang], ['CHANNEL_UNBRIDGE', 'answered', rang]]);
    await leg('no-provisional', [['CHANNEL_CREATE', 'new'], ['CHANNEL_ANSWER', 'answered'], ['CHANNEL_HOLD', 'held', { peerCallId: 'other-leg' }], ['CHANNEL_UNHOLD', 'bridged', { peerCallId: 'other-leg' }], ['CHANNEL_DESTROY', 'ended']]);
    expect(states('after-180')).toEqual([['CHANNEL_CREATE', 'DOWN'], ['CHANNEL_PROGRESS', 'DOWN'], ['CHANNEL_ANSWER', 'RINGING'], ['CHANNEL_BRIDGE', 'ACTIVE'], ['CHANNEL_DESTROY', 'HANGUP']]);
    expect(states('after-183')).toEqual([['CHANNEL_CREATE', 'DOWN'], ['CHANNEL_PROGRESS', 'DOWN'], ['CHANNEL_ANSWER', 'EARLY'], ['CHANNEL_UNBRIDGE', 'ACTIVE']]);
    expect(states('no-provisional')).toEqual([['CHANNEL_CREATE', 'DOWN'], ['CHANNEL_ANSWER', 'DOWN'], ['CHANNEL_HOLD', 'HELD'], ['CHANNEL_UNHOLD', 'UNHELD'], ['CHANNEL_DESTROY', 'HANGUP']]);
  });

  it('sends the fields in Kazoo order, extra fields overriding in place and the account of the record winning in Custom-Channel-Vars', async () => {
    const publish = jest.spyOn(infra.bus, 'publish');
    const ended = record('ordered', 'ended', {
      peerCallId: 'peer', from: 'sip:a@x', to: 'sip:b@x', callerIdName: 'A', callerIdNumber: '1', calleeIdName: 'B', calleeIdNumber: '2',
      hangupCause: 'USER_BUSY', answeredAt: CREATED_MS + 2000, endedAt: CREATED_MS + 5000, cav: { n: 1, nested: { no: true } },
    });
    await notifier.publish('CHANNEL_DESTROY', ended, { From: 'override', 'Extra-Field': 'x', 'Custom-Channel-Vars': { 'Account-ID': 'spoofed', Owner: 'o' } });
    const body = publish.mock.calls[0][2] as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'App-Name', 'App-Version', 'Node', 'Msg-ID', 'Call-ID', 'Origination-Call-ID', 'Account-ID', 'Call-Direction', 'Channel-Call-State', 'Media-Server', 'Switch-Hostname',
      'Other-Leg-Call-ID', 'From', 'To', 'Request', 'Caller-ID-Name', 'Caller-ID-Number', 'Callee-ID-Name', 'Callee-ID-Number', 'Channel-Created-Time', 'Custom-Application-Vars',
      'Hangup-Cause', 'Duration-Seconds', 'Billing-Seconds', 'Ringing-Seconds', 'Timestamp', 'Timestamp-Ms', 'Extra-Field', 'Custom-Channel-Vars', 'Event-Category', 'Event-Name',
    ]);
    expect(body).toMatchObject({ From: 'override', 'Hangup-Cause': 'USER_BUSY', 'Duration-Seconds': 5, 'Billing-Seconds': 3, 'Custom-Application-Vars': { n: 1 }, 'Event-Name': 'CHANNEL_DESTROY' });
    expect(Object.entries(body['Custom-Channel-Vars'] as object)).toEqual([['Account-ID', 'acct-1'], ['Owner', 'o']]);
  });

  it('lets the publisher state the call state itself', async () => {
    await leg('told', [['CHANNEL_CREATE', 'new']]);
    await notifier.publish('CHANNEL_ANSWER', record('told', 'answered', { ringingAt: CREATED_MS }), { 'Channel-Call-State': 'EARLY' });
    await waitFor(() => states('told').length === 2);
    expect(states('told')[1]).toEqual(['CHANNEL_ANSWER', 'EARLY']);
  });

  it('stamps Channel-Created-Time in integer microseconds and keeps the millisecond extensions', async () => {
    await leg('timed', [['CHANNEL_CREATE', 'new']]);
    expect(got[0]!.body['Channel-Created-Time']).toBe(CREATED_MS * 1000);
    expect(typeof got[0]!.body['Timestamp-Ms']).toBe('number');
  });

  it('puts the raw Call-ID in the call-id AMQP header and the Kazoo-encoded one in the routing key', async () => {
    await leg('a.b@c+d', [['CHANNEL_CREATE', 'new']]);
    expect(got[0]!.headers['call-id']).toBe('a.b@c+d');
    expect(got[0]!.routingKey).toBe('call.CHANNEL_CREATE.a%2Eb%40c%2Bd');
  });

  it('originate_failed: a stable Error-Code, the words in Error-Detail, the routing id in the call-id header', async () => {
    const req = { 'Msg-ID': 'm-1', 'Outbound-Call-ID': 'out-1', 'Account-ID': 'acct-1', 'Application-Name': 'park', Endpoints: [] } as never;
    await notifier.originateFailed(req, 'channel_limit_reached', 'account acct-1 is at its limit of 1 concurrent channels');
    await notifier.originateFailed({ 'Msg-ID': 'm-2' } as never, 'invalid originate_req: Endpoints: is required', 'invalid originate_req: Endpoints: is required', [], 'originate_invalid');
    await notifier.originateFailed({ 'Msg-ID': 'm-3' } as never, 'NO_ANSWER', 'nothing rang', ['leg-9']);
    await waitFor(() => got.length === 3);
    const [limit, invalid, noAnswer] = got;
    expect(limit!.body).toMatchObject({ 'Error-Message': 'channel_limit_reached', 'Error-Code': 'channel_limit_reached', 'Error-Detail': 'account acct-1 is at its limit of 1 concurrent channels' });
    expect(limit!.headers['call-id']).toBe('out-1');
    expect(invalid!.body).toMatchObject({ 'Error-Code': 'originate_invalid' });
    expect(invalid!.body).not.toHaveProperty('Error-Detail');
    expect(invalid!.headers['call-id']).toBe(invalid!.body['Msg-ID']);
    expect(invalid!.routingKey).toBe(`call.originate_failed.${String(invalid!.body['Msg-ID'])}`);
    expect(noAnswer!.body).toMatchObject({ 'Error-Message': 'NO_ANSWER', 'Error-Code': 'no_answer', 'Error-Detail': 'nothing rang' });
    expect(noAnswer!.headers['call-id']).toBe('leg-9');
  });
});
