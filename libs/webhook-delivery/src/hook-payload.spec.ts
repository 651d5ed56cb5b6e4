import { formEncode, hookPayload } from './hook-payload';
import { signPayload, verifySignature } from './signature';
import { KeyedSerializer } from './keyed-serializer';
import { tierLabel } from './delivery-job';
import { resolveWebhookDeliveryConfig, splitList } from './webhook-delivery.config';

describe('hook payloads', () => {
  const event = { 'App-Name': 'x', 'Msg-ID': 'm', 'Event-Category': 'call_event', 'Event-Name': 'CHANNEL_DESTROY', 'Call-ID': 'c1', 'Hangup-Cause': 'NORMAL_CLEARING', 'Custom-Application-Vars': { orderId: '42' }, 'Custom-Channel-Vars': { 'Account-ID': 'a1' } };

  it('normalizes the event, drops the envelope and merges custom_data', () => {
    expect(hookPayload(event, 'a1', { team: 'sales' })).toEqual({
      call_id: 'c1',
      hangup_cause: 'NORMAL_CLEARING',
      custom_application_vars: { orderId: '42' },
      custom_channel_vars: { account_id: 'a1' },
      account_id: 'a1',
      hook_event: 'channel_destroy',
      team: 'sales',
    });
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
