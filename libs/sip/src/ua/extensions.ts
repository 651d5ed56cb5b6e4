import type { SipMessage } from '../message/sip-message';

/** Methods the UA core itself handles (RFC 3261 core, RFC 3262 PRACK, RFC 3311 UPDATE), in Allow order. */
export const CORE_METHODS: readonly string[] = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'PRACK', 'UPDATE'];

/** The core's Allow value; a stack adds the methods of the handlers mounted on it (see SipStack.allow). */
export const ALLOW = CORE_METHODS.join(', ');

/** Option-tags of a Require / Supported / Unsupported header (every occurrence, compact form too), lower-cased. */
export function optionTags(message: SipMessage, header: string): string[] {
  const list = message.getList(header);
  return list.ok ? list.value.map((tag) => tag.trim().toLowerCase()).filter((tag) => tag.length > 0) : [];
}

/** §8.2.2.3: the required option-tags this UA does not implement, in the order they were asked for. */
export function unsupportedRequired(message: SipMessage, supported: ReadonlySet<string>): string[] {
  return [...new Set(optionTags(message, 'require'))].filter((tag) => !supported.has(tag));
}

/** Allow for a list of methods, minus one being refused (a 405 never allows what it refuses). */
export function allowValue(methods: Iterable<string>, refused?: string): string {
  return [...methods].filter((m) => m !== refused).join(', ');
}
