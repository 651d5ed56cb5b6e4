import { encodeRoutingKeySegment } from '@legwork/contracts';
import { parseBinding } from './binding.parser';
import { isEventStreamError } from './event-stream.error';

describe('parseBinding', () => {
  it.each([
    ['call.CHANNEL_CREATE.*', 'CHANNEL_CREATE', '*', 'call.CHANNEL_CREATE.*'],
    ['call.*.*', '*', '*', 'call.*.*'],
    ['call.*.5d2f-1', '*', '5d2f-1', 'call.*.5d2f-1'],
    // a Call-ID as Kazoo's routing keys carry it (encoded): kept as given
    ['call.CHANNEL_ANSWER.abc%4010%2E0%2E0%2E5', 'CHANNEL_ANSWER', 'abc%4010%2E0%2E0%2E5', 'call.CHANNEL_ANSWER.abc%4010%2E0%2E0%2E5'],
    ['call.PARK_PARKED.*', 'PARK_PARKED', '*', 'call.PARK_PARKED.*'],
    ['call.CHANNEL_PROGRESS.*', 'CHANNEL_PROGRESS', '*', 'call.CHANNEL_PROGRESS.*'],
    // push wake-up events (RFC 8599), subscribed by name like CHANNEL_PROGRESS
    ['call.PUSH_SENT.*', 'PUSH_SENT', '*', 'call.PUSH_SENT.*'],
    ['call.PUSH_FAILED.*', 'PUSH_FAILED', '*', 'call.PUSH_FAILED.*'],
    ['call.DEVICE_REGISTERED.abc', 'DEVICE_REGISTERED', 'abc', 'call.DEVICE_REGISTERED.abc'],
    ['originate_failed', 'originate_failed', '*', 'call.originate_failed.*'],
    ['call.originate_failed.*', 'originate_failed', '*', 'call.originate_failed.*'],
  ])('turns %s into event %s, call id %s, binding key %s', (binding, event, callId, routingKey) => {
    expect(parseBinding(binding)).toEqual({ binding, event, callId, routingKey });
  });

  it('encodes a raw Call-ID the way call events are published', () => {
    const word = encodeRoutingKeySegment('abc@host');
    expect(parseBinding('call.*.abc@host')).toEqual({ binding: 'call.*.abc@host', event: '*', callId: word, routingKey: `call.*.${word}` });
  });

  it.each([
    ['', 'binding must be a non-empty string of at most 255 characters'],
    ['call', 'invalid format for call subscription : '],
    ['call.*', 'invalid format for call subscription : *'],
    ['call.CHANNEL_CREATE', 'invalid format for call subscription : CHANNEL_CREATE'],
    ['call.CHANNEL_CREATE.a.b', 'invalid format for call subscription : CHANNEL_CREATE, a, b'],
    ['call.CHANNEL_CREATE.', 'invalid format for call subscription : CHANNEL_CREATE, '],
    ['call.CHANNEL_CREATE.#', 'invalid format for call subscription : CHANNEL_CREATE, #'],
    ['call.NOPE.*', 'event NOPE not supported'],
    ['conference.*.*', 'no available subscriptions to requested binding'],
    [42, 'binding must be a non-empty string of at most 255 characters'],
    ['x'.repeat(300), 'binding must be a non-empty string of at most 255 characters'],
  ])('refuses %p with invalid_binding: %s', (binding, message) => {
    let caught: unknown;
    try {
      parseBinding(binding);
    } catch (err) {
      caught = err;
    }
    expect(isEventStreamError(caught) && [caught.code, caught.message]).toEqual(['invalid_binding', message]);
  });
});
