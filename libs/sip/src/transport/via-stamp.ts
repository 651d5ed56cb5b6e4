import type { SipRequest } from '../message/sip-message';
import { splitList } from '../message/sip-text';
import { serializeVia } from '../message/sip-via';
import type { SipSource } from './transport.types';

/** Strips brackets so "[::1]" in a Via compares equal to the socket's "::1". */
function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * RFC 3261 §18.2.1 / RFC 3581: add received= when the sent-by host is not the packet's source,
 * or whenever the client asked for rport, and fill a valueless rport with the source port.
 * Returns false when the top Via cannot be read (the caller still delivers; transactions decide).
 */
export function stampVia(request: SipRequest, source: SipSource): boolean {
  const via = request.via;
  if (via === undefined) return false;
  const wantsRport = via.rport === true;
  const needsReceived = wantsRport || bareHost(via.host).toLowerCase() !== source.remoteAddress.toLowerCase();
  if (!needsReceived && !wantsRport) return true;
  const headers = request.headers;
  const index = headers.list.findIndex((h) => h.key === 'via');
  if (index === -1) return false;
  let items: string[];
  try {
    items = splitList(headers.list[index].value);
  } catch {
    // a later hop in the same header line is unreadable: the top Via stays as received
    return false;
  }
  if (needsReceived) via.params.set('received', source.remoteAddress);
  if (wantsRport) via.params.set('rport', String(source.remotePort));
  items[0] = serializeVia(via);
  headers.list[index] = { ...headers.list[index], value: items.join(', ') };
  // the list was edited in place: drop the message's cached parsed values
  headers.onChange?.();
  return true;
}
