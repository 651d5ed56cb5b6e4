import { ContractError } from './contract.error';
import { channelBridge } from './events/channel-bridge.event';
import { buildMessage, envelope, envelopeSchema, stampMessage, stripEnvelope } from './envelope.contract';
import { originateResponse } from './originate-response.contract';
import { originateUuid } from './originate-uuid.contract';

const defaults = envelope('media-node', '0.1.0', 'media-node@10.0.0.5');

describe('envelope', () => {
  const wire = { 'App-Name': 'ecallmgr', 'App-Version': '4.3.0', 'Event-Category': 'resource', 'Event-Name': 'originate_uuid', 'Msg-ID': 'm-1' };

  it('accepts the standard headers and keeps unknown ones', () => {
    const parsed = envelopeSchema.parse({ ...wire, 'System-Log-ID': 'log-7', 'Raw-Headers': { a: 1 } });
    expect(parsed['System-Log-ID']).toBe('log-7');
    expect(parsed['Raw-Headers']).toEqual({ a: 1 });
  });

  it.each(['App-Name', 'App-Version', 'Event-Category', 'Event-Name', 'Msg-ID'])('requires %s', (key) => {
    const result = envelopeSchema.safeParse({ ...wire, [key]: undefined });
    expect(result.success ? [] : result.error.issues.map((i) => i.path.join('.'))).toEqual([key]);
  });

  it('builds the defaults a publisher stamps', () => {
    expect(defaults).toEqual({ 'App-Name': 'media-node', 'App-Version': '0.1.0', Node: 'media-node@10.0.0.5' });
    expect(envelope('api-gateway', '0.1.0')).toEqual({ 'App-Name': 'api-gateway', 'App-Version': '0.1.0' });
  });
});

describe('buildMessage', () => {
  it("fills the definition's category and name and a fresh Msg-ID", () => {
    const a = buildMessage(originateUuid, { 'Outbound-Call-ID': 'c-1' }, defaults);
    const b = buildMessage(originateUuid, { 'Outbound-Call-ID': 'c-1' }, defaults);
    expect(a).toMatchObject({ ...defaults, 'Event-Category': 'resource', 'Event-Name': 'originate_uuid', 'Outbound-Call-ID': 'c-1' });
    expect(a['Msg-ID']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a['Msg-ID']).not.toBe(b['Msg-ID']);
  });

  it("keeps the request's Msg-ID when a reply carries it", () => {
    const reply = buildMessage(originateResponse, { 'Msg-ID': 'req-42', 'Call-ID': 'leg-a', 'Application-Response': 'SUCCESS' }, defaults);
    expect(reply['Msg-ID']).toBe('req-42');
  });

  it('refuses to build an invalid message, naming the field', () => {
    expect(() => buildMessage(originateResponse, { 'Call-ID': '' }, defaults)).toThrow(ContractError);
    try {
      buildMessage(originateResponse, { 'Call-ID': '' }, defaults);
    } catch (err) {
      expect((err as ContractError).issues).toEqual([{ field: 'Call-ID', rule: 'must not be empty' }]);
    }
  });

  it('cannot be talked into another Event-Name by the body', () => {
    const msg = buildMessage(originateUuid, { 'Outbound-Call-ID': 'c-1', 'Event-Name': 'originate_resp' }, defaults);
    expect(msg['Event-Name']).toBe('originate_uuid');
  });
});

describe('stampMessage', () => {
  const bridge = { 'Call-ID': 'leg-a', 'Other-Leg-Call-ID': 'leg-b', 'Custom-Channel-Vars': { 'Account-ID': 'acct-1' }, Timestamp: 63_900_000_000 };

  it('builds what buildMessage builds from the same typed body, which the full schema accepts', () => {
    const stamped = stampMessage(channelBridge, { ...bridge, 'Msg-ID': 'm-9' }, defaults);
    expect(stamped).toEqual(buildMessage(channelBridge, { ...bridge, 'Msg-ID': 'm-9' }, defaults));
    expect(channelBridge.schema.parse(stamped)).toEqual(stamped);
    expect(stampMessage(channelBridge, bridge, defaults)['Msg-ID']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the order a spread would, and a body key named __proto__ as data', () => {
    const body = JSON.parse('{"Outbound-Call-ID":"c-1","__proto__":{"polluted":true},"Msg-ID":"m-2"}') as { 'Outbound-Call-ID': string };
    for (const msg of [stampMessage(originateUuid, body, defaults), buildMessage(originateUuid, body, defaults)]) {
      expect(Object.getPrototypeOf(msg)).toBe(Object.prototype);
      expect((msg as Record<string, unknown>)['polluted']).toBeUndefined();
    }
    const stamped = stampMessage(originateUuid, body, defaults);
    expect(Object.keys(stamped)).toEqual(['App-Name', 'App-Version', 'Node', 'Msg-ID', 'Outbound-Call-ID', '__proto__', 'Event-Category', 'Event-Name']);
    expect(stamped['Msg-ID']).toBe('m-2');
  });

  it('cannot be talked into another Event-Name by the body', () => {
    expect(stampMessage(originateUuid, { 'Outbound-Call-ID': 'c-1', 'Event-Name': 'originate_resp' }, defaults)['Event-Name']).toBe('originate_uuid');
  });

  it('refuses a broken envelope, naming each header', () => {
    const broken = () => stampMessage(channelBridge, { ...bridge, 'Msg-ID': '', 'Server-ID': 7 as unknown as string }, { 'App-Name': 'media-node', 'App-Version': undefined as unknown as string });
    expect(broken).toThrow(ContractError);
    expect(() => broken()).toThrow(
      expect.objectContaining({
        issues: [
          { field: 'App-Version', rule: 'is required' },
          { field: 'Msg-ID', rule: 'must be a non-empty string' },
          { field: 'Server-ID', rule: 'must be a string' },
        ],
      }),
    );
  });
});

describe('stripEnvelope', () => {
  it('drops envelope headers and keeps the body', () => {
    const msg = buildMessage(originateUuid, { 'Outbound-Call-ID': 'c-1', 'Server-ID': 'q-1' }, defaults);
    expect(stripEnvelope({ ...msg, 'System-Log-ID': 'x' })).toEqual({ 'Outbound-Call-ID': 'c-1' });
  });
});
