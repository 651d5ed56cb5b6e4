import { AnySipMessage } from '../message/sip-message';

/** Everything that defines a message's meaning, minus Content-Length (the serializer recomputes it). */
export function snapshot(message: AnySipMessage): Record<string, unknown> {
  return {
    start: message.kind === 'request' ? [message.method, message.uri, message.version] : [message.version, message.status, message.reason],
    headers: message.headers.list.filter((h) => h.key !== 'content-length').map((h) => [h.name, h.key, h.value]),
    body: message.body.toString('hex'),
  };
}
