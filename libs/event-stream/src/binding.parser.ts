import { callEventBindingKey, isCallEventName } from '@legwork/contracts';
import { EventStreamError } from './event-stream.error';

/** A validated blackhole binding and the `callevt` binding key that carries its events. */
export interface ParsedBinding {
  /** As the client wrote it; echoed back as `subscribed_key`. */
  binding: string;
  routingKey: string;
}

const MAX_BINDING_LENGTH = 255;

/**
 * Accepts `call.{EVENT|*}.{CALL_ID|*}` and the shorthand `originate_failed`.
 * The Call-ID is everything after the second dot, since Call-IDs may themselves contain dots.
 */
export function parseBinding(binding: unknown): ParsedBinding {
  if (typeof binding !== 'string' || binding.length === 0 || binding.length > MAX_BINDING_LENGTH) {
    throw invalid(String(binding), 'must be a non-empty string of at most 255 characters');
  }
  if (binding === 'originate_failed') return { binding, routingKey: callEventBindingKey('originate_failed', '*') };
  const first = binding.indexOf('.');
  const second = first < 0 ? -1 : binding.indexOf('.', first + 1);
  if (first < 0 || second < 0 || binding.slice(0, first) !== 'call') {
    throw invalid(binding, 'must look like call.{EVENT|*}.{CALL_ID|*} or originate_failed');
  }
  const eventName = binding.slice(first + 1, second);
  const callId = binding.slice(second + 1);
  if (eventName !== '*' && !isCallEventName(eventName)) throw invalid(binding, `unknown event ${eventName}`);
  if (callId.length === 0 || callId === '#') throw invalid(binding, 'call id must be * or a Call-ID');
  return { binding, routingKey: callEventBindingKey(eventName, callId) };
}

function invalid(binding: string, reason: string): EventStreamError {
  return new EventStreamError('invalid_binding', `binding ${binding} ${reason}`, { binding });
}
