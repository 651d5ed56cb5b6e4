import { encodeRoutingKeySegment } from '@legwork/contracts';
import { parseBinding } from './binding.parser';
import { blackholeData, blackholeRoutingKey, eventFrame, subscriptionKey } from './call-event.frame';

const A = 'a'.repeat(32);
const ALL = { all: true } as const;

describe('blackhole event frames', () => {
  const event = {
    'App-Name': 'media-node', 'App-Version': '0.1.0', 'Event-Category': 'call_event', 'Event-Name': 'CHANNEL_CREATE', 'Msg-ID': 'm1',
    Node: 'media-1', 'Server-ID': 'media-node.x', 'Server-Queue-ID': 'q', 'Log-ID': 'l', 'Call-ID': 'c1@host.example', 'Account-ID': A,
    'Caller-ID-Number': '1001', 'Other-Leg-Call-ID': null,
    'Custom-Channel-Vars': { 'Account-ID': A, 'Owner-ID': 'u1', 'Order-Ref': 'X-9' },
    'Custom-Application-Vars': { orderId: '42', 'Nested-Key': { 'Deep-Key': 1 } },
    'Media-Recordings': [{ 'File-Name': 'a.wav' }],
  };

  it("normalizes data as bh_events does: optional default headers out, every key at every depth lower-cased, nulls dropped", () => {
    expect(blackholeData(event)).toEqual({
      app_name: 'media-node', app_version: '0.1.0', event_category: 'call_event', event_name: 'CHANNEL_CREATE', msg_id: 'm1', call_id: 'c1@host.example', account_id: A,
      caller_id_number: '1001',
      custom_channel_vars: { account_id: A, owner_id: 'u1', order_ref: 'X-9' },
      custom_application_vars: { orderid: '42', nested_key: { deep_key: 1 } },
      media_recordings: [{ file_name: 'a.wav' }],
    });
  });

  it('adds end_user, decoded from the End-User channel variable, beside the normalized channel vars', () => {
    const endUser = { name: 'Charles Xavier', organization: 'X-Men' };
    const data = blackholeData({ ...event, 'Custom-Channel-Vars': { 'Account-ID': A, 'End-User': JSON.stringify(endUser) } });
    expect(data['end_user']).toEqual(endUser);
    expect(data['custom_channel_vars']).toEqual({ account_id: A, end_user: JSON.stringify(endUser) });
    expect(blackholeData(event)).not.toHaveProperty('end_user');
  });

  it('keys frames with the account: subscription_key per event for `*`, routing_key with the encoded Call-ID', () => {
    const star = { ...parseBinding('call.*.*'), accountId: A, scope: ALL };
    const named = { ...parseBinding('call.CHANNEL_ANSWER.abc'), accountId: A, scope: ALL };
    expect(subscriptionKey(star, 'CHANNEL_CREATE')).toBe(`call.${A}.CHANNEL_CREATE.*`);
    expect(subscriptionKey(named, 'CHANNEL_ANSWER')).toBe(`call.${A}.CHANNEL_ANSWER.abc`);
    const key = blackholeRoutingKey(event, A, 'call.CHANNEL_CREATE.whatever');
    expect(key).toBe(`call.${A}.CHANNEL_CREATE.${encodeRoutingKeySegment('c1@host.example')}`);
    expect(blackholeRoutingKey({ 'Event-Name': 'originate_failed' }, A, 'call.originate_failed.m-1')).toBe(`call.${A}.originate_failed.m-1`);
    expect(eventFrame(event, key, star, { x: 1 })).toEqual({ action: 'event', subscribed_key: 'call.*.*', subscription_key: `call.${A}.CHANNEL_CREATE.*`, name: 'CHANNEL_CREATE', routing_key: key, data: { x: 1 } });
  });
});
