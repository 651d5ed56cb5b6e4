import {
  EXCHANGES,
  KAZOO_EXCHANGE_OPTIONS,
  SHARED_QUEUES,
  bindingKeySegment,
  callEventBindingKey,
  callEventRoutingKey,
  decodeRoutingKeySegment,
  encodeRoutingKeySegment,
  isKazooExchange,
  parseCallEventRoutingKey,
} from './topology';

describe('topology', () => {
  it("declares Kazoo's four exchanges with their types and kz_amqp_util's options", () => {
    expect(Object.values(EXCHANGES).map((e) => `${e.name}:${e.type}`)).toEqual(['callmgr:topic', 'targeted:direct', 'callevt:topic', 'callctl:direct']);
    expect(KAZOO_EXCHANGE_OPTIONS).toEqual({ durable: false, autoDelete: false, internal: false, arguments: {} });
    expect(['callmgr', 'targeted', 'callevt', 'callctl'].every(isKazooExchange)).toBe(true);
    expect(isKazooExchange('legwork.dlx')).toBe(false);
  });

  it("encodes exactly as kz_amqp_util:encode/1 (its own unit test and the worked examples)", () => {
    const cases: Array<[string, string]> = [
      ['test&.192. 168. 5. 5#', 'test%26%2E192%2E+168%2E+5%2E+5%23'],
      ['abc@example.com', 'abc%40example%2Ecom'],
      ['a b', 'a+b'],
      ['a.b', 'a%2Eb'],
      ['100%', '100%25'],
      ['+15551234', '%2B15551234'],
      ['a/b', 'a%2Fb'],
      ['é', '%C3%A9'],
      ['日', '%E6%97%A5'],
      ['a*b', 'a%2Ab'],
      ['a#b', 'a%23b'],
      ['x:y=z', 'x%3Ay%3Dz'],
      ['a@b c.d%e+f/g é', 'a%40b+c%2Ed%25e%2Bf%2Fg+%C3%A9'],
      ['~_-', '~_-'],
      ['AZaz09', 'AZaz09'],
      ['\n\u0000', '%0A%00'],
      ['😀', '%F0%9F%98%80'],
    ];
    for (const [id, encoded] of cases) expect({ id, key: encodeRoutingKeySegment(id) }).toEqual({ id, key: encoded });
  });

  it('keeps the whole value *, # or empty as it is, as Kazoo does', () => {
    expect(encodeRoutingKeySegment('*')).toBe('*');
    expect(encodeRoutingKeySegment('#')).toBe('#');
    expect(encodeRoutingKeySegment('')).toBe('');
    expect(encodeRoutingKeySegment('**')).toBe('%2A%2A');
  });

  it('decodes what it encodes, and either hex case', () => {
    for (const id of ['plain', 'a.b.c', '*.#', 'x@y.z', '', '*', 'a b+c', '100%', 'é 日 😀', 'a@b c.d%e+f/g é']) {
      expect(decodeRoutingKeySegment(encodeRoutingKeySegment(id))).toBe(id);
    }
    expect(decodeRoutingKeySegment('a%2eb')).toBe('a.b');
    expect(decodeRoutingKeySegment('a%c3%a9')).toBe('aé');
    expect(decodeRoutingKeySegment('50%')).toBe('50%');
    expect(decodeRoutingKeySegment('%G1')).toBe('%G1');
  });

  it('binds with lone wildcards kept and Call-IDs encoded; the event name is never encoded', () => {
    expect(bindingKeySegment('*')).toBe('*');
    expect(bindingKeySegment('#')).toBe('#');
    expect(callEventBindingKey('CHANNEL_CREATE')).toBe('call.CHANNEL_CREATE.*');
    expect(callEventBindingKey('*', 'a.b')).toBe('call.*.a%2Eb');
    expect(callEventRoutingKey('CHANNEL_CREATE', 'a b@c.d')).toBe('call.CHANNEL_CREATE.a+b%40c%2Ed');
    expect(callEventRoutingKey('originate_failed', 'x')).toBe('call.originate_failed.x');
  });

  it('parses a call event key back', () => {
    const key = callEventRoutingKey('CHANNEL_ANSWER', 'abc.def@host name');
    expect(key.split('.')).toHaveLength(3);
    expect(parseCallEventRoutingKey(key)).toEqual({ eventName: 'CHANNEL_ANSWER', callId: 'abc.def@host name' });
    expect(parseCallEventRoutingKey('originate.resource.req')).toBeUndefined();
    expect(parseCallEventRoutingKey('call.X')).toBeUndefined();
    expect(parseCallEventRoutingKey('call.X.a.b')).toBeUndefined();
  });

  it('lists the shared queues an exchange migration re-binds, only on Kazoo exchanges', () => {
    expect(SHARED_QUEUES.map((q) => q.name)).toEqual(['legwork.originate', 'legwork.cdr', 'legwork.webhooks.events']);
    for (const q of SHARED_QUEUES) for (const b of q.bindings) expect(isKazooExchange(b.exchange)).toBe(true);
  });
});
