import { parseBinding } from './binding.parser';
import { isEventStreamError } from './event-stream.error';

describe('parseBinding', () => {
  it.each([
    ['call.CHANNEL_CREATE.*', 'call.CHANNEL_CREATE.*'],
    ['call.*.*', 'call.*.*'],
    ['call.CHANNEL_ANSWER.abc@10.0.0.5', 'call.CHANNEL_ANSWER.abc%4010%2E0%2E0%2E5'],
    ['call.*.5d2f-1', 'call.*.5d2f-1'],
    ['originate_failed', 'call.originate_failed.*'],
    ['call.originate_failed.*', 'call.originate_failed.*'],
  ])('turns %s into the binding key %s', (binding, routingKey) => {
    expect(parseBinding(binding)).toEqual({ binding, routingKey });
  });

  it.each(['', 'call', 'call.CHANNEL_CREATE', 'call.NOPE.*', 'conference.*.*', 'call.CHANNEL_CREATE.', 'call.CHANNEL_CREATE.#', 42, 'x'.repeat(300)])(
    'refuses %p with invalid_binding',
    (binding) => {
      let caught: unknown;
      try {
        parseBinding(binding);
      } catch (err) {
        caught = err;
      }
      expect(isEventStreamError(caught) && caught.code).toBe('invalid_binding');
    },
  );
});
