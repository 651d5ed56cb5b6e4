import type { DialogInit, DialogState } from '../dialog/dialog.types';
import { parseNameAddr, serializeNameAddr } from '../message/name-addr';
import type { SipMessage, SipRequest, SipResponse } from '../message/sip-message';
import { serializeUri } from '../message/sip-uri';
import type { SipProtocol, SipSource, SipTarget, SipTransportLayer } from '../transport/transport.types';

/** A From/To value without its tag (dialog local/remote URI). */
export function withoutTag(value: string): string {
  const addr = parseNameAddr(value);
  addr.params.delete('tag');
  return serializeNameAddr(addr);
}

export function withTag(value: string, tag: string): string {
  const addr = parseNameAddr(value);
  if (addr.tag !== undefined) return serializeNameAddr(addr);
  addr.params.set('tag', tag);
  return serializeNameAddr(addr);
}

/**
 * Our Contact for a message sent over `protocol`: in-dialog requests come back on the same transport
 * (RFC 3261 §8.1.1.8): `;transport=tcp`/`ws`, `sips:` for TLS and `sips:…;transport=wss` for secure WebSocket (RFC 5630, RFC 7118).
 */
export function contactFor(transport: SipTransportLayer, protocol: SipProtocol, user?: string): string {
  const by = transport.sentBy(protocol);
  const host = by.host.includes(':') && !by.host.startsWith('[') ? `[${by.host}]` : by.host;
  const scheme = protocol === 'tls' || protocol === 'wss' ? 'sips' : 'sip';
  const param = protocol === 'udp' || protocol === 'tls' ? '' : `;transport=${protocol}`;
  return `<${scheme}:${user !== undefined && user !== '' ? `${user}@` : ''}${host}:${by.port}${param}>`;
}

function firstContactUri(message: SipMessage): string | undefined {
  const contacts = message.getContacts();
  if (!contacts.ok || contacts.value === '*' || contacts.value.length === 0) return undefined;
  return serializeUri(contacts.value[0].uri);
}

function recordRoutes(message: SipMessage): string[] {
  const routes = message.getRecordRoutes();
  return routes.ok ? routes.value.map((r) => serializeNameAddr(r)) : [];
}

function allowOf(message: SipMessage): string[] {
  const allow = message.getList('allow');
  return allow.ok ? allow.value.map((m) => m.trim().toUpperCase()) : [];
}

// bodyText: the application and the dialog share the one string (an INVITE's offer, a 2xx's answer)
const sdpOf = (message: SipMessage): string | undefined => (message.body.length > 0 ? message.bodyText : undefined);

/** §12.1.1: the UAS dialog takes the route set from Record-Route in order and the remote target from Contact. */
export function uasDialogInit(request: SipRequest, source: SipSource, localTag: string, localContact: string, state: DialogState = 'confirmed'): DialogInit {
  return {
    callId: request.callId ?? '',
    localTag,
    remoteTag: request.fromTag ?? '',
    localUri: withoutTag(request.headers.get('to') ?? ''),
    remoteUri: withoutTag(request.headers.get('from') ?? ''),
    remoteTarget: firstContactUri(request) ?? request.uri,
    routeSet: recordRoutes(request),
    localSeq: 0,
    remoteSeq: request.cseq?.seq,
    localContact,
    flow: source.flowId !== undefined ? { protocol: source.protocol, host: source.remoteAddress, port: source.remotePort, flowId: source.flowId } : undefined,
    state,
    remoteSdp: sdpOf(request),
    remoteAllow: allowOf(request),
  };
}

/** §12.1.2: the UAC dialog reverses Record-Route from the 2xx (or the reliable 1xx of an early dialog) and targets its Contact. */
export function uacDialogInit(invite: SipRequest, response: SipResponse, target: SipTarget, localContact: string, state: DialogState = 'confirmed'): DialogInit {
  return {
    callId: invite.callId ?? '',
    localTag: invite.fromTag ?? '',
    remoteTag: response.toTag ?? '',
    localUri: withoutTag(invite.headers.get('from') ?? ''),
    remoteUri: withoutTag(response.headers.get('to') ?? ''),
    remoteTarget: firstContactUri(response) ?? invite.uri,
    routeSet: recordRoutes(response).reverse(),
    localSeq: invite.cseq?.seq ?? 1,
    remoteSeq: undefined,
    localContact,
    flow: target.flowId !== undefined ? target : undefined,
    state,
    localSdp: sdpOf(invite),
    remoteSdp: sdpOf(response),
    remoteAllow: allowOf(response),
  };
}
