import {
  EXCHANGES,
  bindingKeySegment,
  callEventBindingKey,
  callEventRoutingKey,
  decodeRoutingKeySegment,
  encodeRoutingKeySegment,
  parseCallEventRoutingKey,
} from './topology';

describe('topology', () => {
  it('declares the four exchanges with their types', () => {
    expect(Object.values(EXCHANGES).map((e) => `${e.name}:${e.type}`)).toEqual(['callmgr:topic', 'targeted:direct', 'callevt:topic', 'callctl:direct']);
  });

  it('encodes the characters that mean something in a topic key, as Kazoo does', () => {
    expect(encodeRoutingKeySegment('3f1c.9a@10.1.1.1')).toBe('3f1c%2E9a@10%2E1%2E1%2E1');
    expect(encodeRoutingKeySegment('a*b#c')).toBe('a%2Ab%23c');
    expect(encodeRoutingKeySegment('*')).toBe('%2A');
  });

  it('decodes what it encodes, whatever the hex case', () => {
    for (const id of ['plain', 'a.b.c', '*.#', 'x@y.z', '']) {
      expect(decodeRoutingKeySegment(encodeRoutingKeySegment(id))).toBe(id);
    }
    expect(decodeRoutingKeySegment('a%2eb')).toBe('a.b');
  });

  it('leaves lone wildcards alone in binding keys', () => {
    expect(bindingKeySegment('*')).toBe('*');
    expect(bindingKeySegment('#')).toBe('#');
    expect(callEventBindingKey('CHANNEL_CREATE')).toBe('call.CHANNEL_CREATE.*');
    expect(callEventBindingKey('*', 'a.b')).toBe('call.*.a%2Eb');
  });

  it('parses a call event key back', () => {
    const key = callEventRoutingKey('CHANNEL_ANSWER', 'abc.def@host');
    expect(parseCallEventRoutingKey(key)).toEqual({ eventName: 'CHANNEL_ANSWER', callId: 'abc.def@host' });
    expect(parseCallEventRoutingKey('originate.resource.req')).toBeUndefined();
    expect(parseCallEventRoutingKey('call.X')).toBeUndefined();
  });
});
