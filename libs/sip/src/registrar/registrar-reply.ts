import type { Contact } from '@legwork/call-state';
import { quote } from '../message/sip-text';
import type { ReplyHeaders } from './registrar.types';

/** Contact value for a 200 to REGISTER: the binding with the seconds it has left (RFC 3261 §10.3 step 8). */
export function contactHeaderValue(contact: Contact, now: number): string {
  const left = Math.max(0, Math.ceil((contact.expiresAt - now) / 1000));
  let value = `<${contact.uri}>;expires=${left}`;
  if (contact.instanceId !== undefined) value += `;+sip.instance=${quote(contact.instanceId)}`;
  if (contact.regId !== undefined) value += `;reg-id=${contact.regId}`;
  return value;
}

export interface OkReplyInput {
  contacts: Contact[];
  now: number;
  /** RFC 8599 services the accepted bindings will be woken through. */
  pushServices: string[];
  outbound: boolean;
  path: string[];
}

export function okHeaders(input: OkReplyInput): ReplyHeaders {
  const headers: ReplyHeaders = input.contacts.map((c) => ['Contact', contactHeaderValue(c, input.now)]);
  headers.push(['Date', new Date(input.now).toUTCString()]);
  // RFC 8599 §5.6.1 / RFC 6809: one indicator naming the service we will push through
  for (const pns of input.pushServices) headers.push(['Feature-Caps', `*;+sip.pns=${quote(pns)}`]);
  if (input.outbound) headers.push(['Require', 'outbound']);
  // RFC 3327 §5.3: a registrar that stores Path echoes it
  if (input.path.length > 0) headers.push(['Path', input.path.join(', ')]);
  headers.push(['Supported', 'outbound, path']);
  return headers;
}
