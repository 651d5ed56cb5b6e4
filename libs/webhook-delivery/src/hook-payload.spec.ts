import { formEncode, hookEvent, hookPayload, isInternalLeg } from './hook-payload';
import { hookFires } from './hook-matcher';
import { attemptsAllowed } from './webhook-worker';
import { HOOK_DEFINITIONS, hookSampleNames, hookSamples } from './hook-catalog';
import { WEBHOOK_EVENTS } from '@legwork/directory';
import { signPayload, verifySignature } from './signature';
import { KeyedSerializer } from './keyed-serializer';
import { tierLabel } from './delivery-job';
import { resolveWebhookDeliveryConfig, splitList } from './webhook-delivery.config';

describe('hook payloads', () => {
  const ccv = { 'Account-ID': 'a1', 'Owner-ID': 'u1', 'Authorizing-ID': 'd1', 'Authorizing-Type': 'device', 'Fetch-ID': 'f', 'Original-Number': '+14155550100', 'Resource-ID': 'r1', 'Order-Ref': 'X-9', crm_key: 'k' };
  const base = { 'App-Name': 'x', 'Msg-ID': 'm', 'Event-Category': 'call_event', 'Node': 'n1', 'Server-ID': 's', 'Call-ID': 'c1', 'Call-Direction': 'outbound', 'Caller-ID-Number': '1001', 'Callee-ID-Number': '+14155550100', From: '1001@acme', To: '+14155550100@acme', Request: '+14155550100@acme', Timestamp: 63_900_000_000, 'Timestamp-Ms': 1, 'Media-Server': 'mn1', 'Custom-Application-Vars': { orderId: '42' }, 'Custom-Channel-Vars': ccv };

  it("builds Kazoo's curated fields only, CCVs minus reserved keys in their own spelling, custom_data (minus type/action) on top", () => {
    const event = { ...base, 'Event-Name': 'CHANNEL_DESTROY', 'Hangup-Cause': 'NORMAL_CLEARING', 'Hangup-Code': 'sip:200', 'Duration-Seconds': 12, 'Billing-Seconds': 10, 'Ringing-Seconds': 2, 'Other-Leg-Call-ID': 'c2' };
    expect(hookPayload(event, 'a1', { team: 'sales', type: 'dropped', action: 'dropped', call_direction: 'overridden' }, 'root')).toEqual({
      account_id: 'a1', authorizing_id: 'd1', authorizing_type: 'device', call_direction: 'overridden', call_id: 'c1', callee_id_number: '+14155550100', caller_id_number: '1001',
      custom_channel_vars: { 'Original-Number': '+14155550100', 'Resource-ID': 'r1', 'Order-Ref': 'X-9', crm_key: 'k' },
      custom_application_vars: { orderId: '42' }, emergency_resource_used: false, from: '1001@acme', local_resource_id: 'r1', local_resource_used: true, is_internal_leg: false,
      other_leg_call_id: 'c2', owner_id: 'u1', request: '+14155550100@acme', reseller_id: 'root', timestamp: 63_900_000_000, timestamp_ms: 1, to: '+14155550100@acme', hook_event: 'channel_destroy',
      hangup_cause: 'NORMAL_CLEARING', hangup_code: 'sip:200', duration_seconds: 12, ringing_seconds: 2, billing_seconds: 10, team: 'sales',
    });
  });

  it('adds original_number and other_leg_destination_number on bridge only, and reads resources, forwarding and loopback as Kazoo does', () => {
    const bridge = hookEvent({ ...base, 'Event-Name': 'CHANNEL_BRIDGE', 'Other-Leg-Call-ID': 'c2', 'Other-Leg-Destination-Number': '+14155550100' }, 'a1');
    expect(bridge).toMatchObject({ hook_event: 'channel_bridge', original_number: '+14155550100', other_leg_destination_number: '+14155550100', other_leg_call_id: 'c2' });
    const answer = hookEvent({ ...base, 'Event-Name': 'CHANNEL_ANSWER', 'Channel-Is-Loopback': true, 'Custom-Channel-Vars': { 'Account-ID': 'a1', 'Global-Resource': 'true', 'Resource-ID': 'g1', 'Emergency-Resource': true, 'Call-Forward': 'false' } }, 'a1');
    expect(answer).toMatchObject({ hook_event: 'channel_answer', local_resource_used: false, emergency_resource_used: true, call_forwarded: false, is_internal_leg: true, custom_channel_vars: { 'Global-Resource': 'true', 'Resource-ID': 'g1', 'Emergency-Resource': true } });
    for (const key of ['local_resource_id', 'original_number', 'hangup_cause', 'node', 'msg_id', 'media_server', 'event_sequence', 'reseller_id']) expect(answer).not.toHaveProperty(key);
    expect(isInternalLeg({ 'Channel-Name': 'loopback/x-a' })).toBe(true);
    expect(isInternalLeg({ 'Channel-Name': 'sofia/x', 'Channel-Is-Loopback': 'false' })).toBe(false);
  });

  it('carries the event\'s sequence number, the call it counts for and its ms timestamp, so a receiver can order and de-duplicate', () => {
    const first = hookEvent({ ...base, 'Event-Name': 'CHANNEL_CREATE', 'Event-Sequence': 1, 'Origination-Call-ID': 'c1', 'Timestamp-Ms': 1_733_100_000_123 }, 'a1');
    const bLeg = hookEvent({ ...base, 'Event-Name': 'CHANNEL_ANSWER', 'Call-ID': 'c2', 'Event-Sequence': 4, 'Origination-Call-ID': 'c1', 'Timestamp-Ms': 1_733_100_002_000 }, 'a1');
    expect(first).toMatchObject({ call_id: 'c1', event_sequence: 1, origination_call_id: 'c1', timestamp_ms: 1_733_100_000_123 });
    expect(bLeg).toMatchObject({ call_id: 'c2', event_sequence: 4, origination_call_id: 'c1', timestamp_ms: 1_733_100_002_000 });
  });

  it('shows the call\'s end_user decoded from its End-User channel variable, and nothing for a malformed one', () => {
    const endUser = { id: '11223344', name: 'Popeye', organization: 'Thimble Theatre' };
    const answer = hookEvent({ ...base, 'Event-Name': 'CHANNEL_ANSWER', 'Custom-Channel-Vars': { ...ccv, 'End-User': JSON.stringify(endUser) } }, 'a1');
    expect(answer['end_user']).toEqual(endUser);
    expect(answer['custom_channel_vars']).toMatchObject({ 'End-User': JSON.stringify(endUser) });
    for (const bad of ['not json', '[1]', JSON.stringify({ name: 7 })]) {
      expect(hookEvent({ ...base, 'Event-Name': 'CHANNEL_ANSWER', 'Custom-Channel-Vars': { ...ccv, 'End-User': bad } }, 'a1')).not.toHaveProperty('end_user');
    }
  });

  it('keeps what failed on Legwork’s originate_failed hook', () => {
    const failed = hookEvent({ ...base, 'Event-Name': 'originate_failed', 'Error-Message': 'NO_ANSWER', 'Error-Code': 'timeout', 'Outbound-Call-IDs': ['o1'], Request: { 'Application-Name': 'park' } }, 'a1');
    expect(failed).toMatchObject({ hook_event: 'originate_failed', error_message: 'NO_ANSWER', error_code: 'timeout', outbound_call_ids: ['o1'], request: { application_name: 'park' } });
  });

  it('fires per include_internal_legs and modifiers (scalar, list, empty list, key absent from the event)', () => {
    const event = hookEvent({ ...base, 'Event-Name': 'CHANNEL_CREATE' }, 'a1');
    const hook = (extra: Record<string, unknown>) => ({ include_internal_legs: true, ...extra }) as Parameters<typeof hookFires>[0];
    expect(hookFires(hook({}), event, true)).toBe(true);
    expect(hookFires(hook({ include_internal_legs: false }), event, true)).toBe(false);
    expect(hookFires(hook({ include_internal_legs: false }), event, false)).toBe(true);
    expect(hookFires(hook({ modifiers: { call_direction: 'outbound' } }), event, false)).toBe(true);
    expect(hookFires(hook({ modifiers: { call_direction: 'inbound' } }), event, false)).toBe(false);
    expect(hookFires(hook({ modifiers: { caller_id_number: ['1000', '1001'] } }), event, false)).toBe(true);
    expect(hookFires(hook({ modifiers: { caller_id_number: ['1000'] } }), event, false)).toBe(false);
    expect(hookFires(hook({ modifiers: { caller_id_number: [] } }), event, false)).toBe(true);
    expect(hookFires(hook({ modifiers: { not_in_the_event: 'x' } }), event, false)).toBe(true);
  });

  it('gives max(1, retries) attempts, as Kazoo counts retries', () => {
    expect([0, 1, 2, 4, 5, 9].map((retries) => attemptsAllowed({ retries }))).toEqual([1, 1, 2, 4, 5, 5]);
  });

  it('form-encodes nested objects with brackets', () => {
    expect(formEncode({ a: 1, b: { c: 'd e' }, l: ['x'], n: null })).toBe('a=1&b%5Bc%5D=d+e&l%5B0%5D=x');
  });
});

describe('signatures', () => {
  it('signs t.body and verifies within the tolerance only', () => {
    const header = signPayload('s3cret', '{"a":1}', 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('s3cret', '{"a":1}', header, 1_700_000_010)).toBe(true);
    expect(verifySignature('s3cret', '{"a":2}', header, 1_700_000_010)).toBe(false);
    expect(verifySignature('s3cret', '{"a":1}', header, 1_700_001_000)).toBe(false);
    expect(verifySignature('s3cret', '{"a":1}', 'garbage', 1_700_000_000)).toBe(false);
  });
});

describe('delivery helpers', () => {
  it('runs same-key tasks in order and other keys in parallel', async () => {
    const serial = new KeyedSerializer();
    const order: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const a1 = serial.run('a', async () => {
      await gate;
      order.push('a1');
    });
    const a2 = serial.run('a', async () => void order.push('a2'));
    await serial.run('b', async () => void order.push('b1'));
    release();
    await Promise.all([a1, a2]);
    expect(order).toEqual(['b1', 'a1', 'a2']);
    await serial.run('a', async () => Promise.reject(new Error('x'))).catch(() => undefined);
    await serial.run('a', async () => void order.push('a3'));
    expect(order.at(-1)).toBe('a3');
  });

  it('names tiers and validates config', () => {
    expect([1000, 10_000, 60_000, 600_000, 3_600_000, 250].map(tierLabel)).toEqual(['1s', '10s', '1m', '10m', '1h', '250ms']);
    expect(splitList(' 127.0.0.1, 10.0.0.0/8 ,,')).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(resolveWebhookDeliveryConfig({}).retryTiersMs).toHaveLength(5);
    expect(() => resolveWebhookDeliveryConfig({ retryTiersMs: [] })).toThrow(expect.objectContaining({ code: 'invalid_config', details: { field: 'retryTiersMs' } }));
  });
});

describe('hook catalog', () => {
  it('defines every hook a document may name but all, and samples each through the real payload builder', () => {
    expect(HOOK_DEFINITIONS.map((d) => d.id).sort()).toEqual(WEBHOOK_EVENTS.filter((e) => e !== 'all').sort());
    expect(hookSampleNames()).toEqual(HOOK_DEFINITIONS.map((d) => `webhooks_${d.id}`).sort());
    for (const name of hookSampleNames()) {
      const [sample] = hookSamples(name) ?? [];
      expect([name, sample?.['hook_event']]).toEqual([name, name.slice('webhooks_'.length)]);
    }
    expect(hookSamples('webhooks_channel_bridge')?.[0]).toMatchObject({ other_leg_destination_number: '+14155550100', original_number: '+14155550100', reseller_id: expect.any(String) });
    expect(hookSamples('webhooks_push_failed')?.[0]).toMatchObject({ hook_event: 'push_failed', push_provider: 'apns', push_kind: 'call', push_status: 410, push_error: 'Unregistered' });
    expect(hookSamples('webhooks_device_registered')?.[0]).toMatchObject({ contact: 'sip:desk@192.0.2.10:5062', registrar_node: 'media-2', push_wake_ms: 1350 });
    expect(hookSamples('webhooks_nope')).toBeUndefined();
    expect(hookSamples('toString')).toBeUndefined();
    expect(hookSamples('webhooks_toString')).toBeUndefined();
  });
});
