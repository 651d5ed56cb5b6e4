import { canonicalName } from './header-names';
import type { NameAddr } from './name-addr';
import { SipHeaders } from './sip-headers';
import { type SipMessage, SipRequest, SipResponse } from './sip-message';
import { reasonPhrase } from './sip-reason-phrases';
import type { Uri } from './sip-uri';
import { SipVia, serializeVia } from './sip-via';
import { ownedUtf8 } from './owned-buffer';
import { callIdText, checkExtraHeader, integerIn, nameAddrListText, nameAddrText, tokenText, uriText } from './sip-build-checks';
import { checkLine } from './sip-unsafe-value';

export type HeaderPairs = Iterable<readonly [string, string]>;

export interface CreateRequestOptions {
  method: string;
  uri: string | Uri;
  from: NameAddr | string;
  to: NameAddr | string;
  callId: string;
  cseq: number;
  /** Usually added by the transport just before sending. */
  via?: SipVia | string;
  maxForwards?: number;
  contact?: NameAddr | string;
  headers?: HeaderPairs;
  body?: Buffer | string;
  contentType?: string;
}

export interface CreateResponseOptions {
  toTag?: string;
  headers?: HeaderPairs;
  body?: Buffer | string;
  contentType?: string;
}

function viaText(value: SipVia | string): string {
  return typeof value === 'string' ? value : serializeVia(value);
}

// every value below is checked where it enters: SipUnsafeValueError (naming the header) before anything is built
function appendCommon(headers: SipHeaders, extra: HeaderPairs | undefined, contentType: string | undefined): void {
  for (const [name, value] of extra ?? []) {
    checkExtraHeader(name, value);
    headers.append(name, value);
  }
  if (contentType !== undefined) headers.set('Content-Type', contentType);
}

function toBody(body: Buffer | string | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? ownedUtf8(body) : body;
}

/** A message built from text keeps that text as its bodyText: a dialog taking the SDP from it shares the caller's string. */
function withBody<M extends SipMessage>(message: M, body: Buffer | string | undefined): M {
  if (typeof body === 'string' && body.length > 0) message.primeBodyText(body);
  return message;
}

/** Throws SipUnsafeValueError (synchronously, naming the header) for any value that would break or inject into the message. */
export function createRequest(options: CreateRequestOptions): SipRequest {
  const method = tokenText('method', options.method, 'bad_method');
  const uri = uriText('Request-URI', options.uri);
  const headers = new SipHeaders();
  if (options.via !== undefined) headers.append('Via', viaText(options.via));
  headers.append('Max-Forwards', String(integerIn('Max-Forwards', options.maxForwards ?? 70, 0, 255)));
  headers.append('From', nameAddrText('From', options.from));
  headers.append('To', nameAddrText('To', options.to));
  headers.append('Call-ID', callIdText(options.callId));
  headers.append('CSeq', `${integerIn('CSeq', options.cseq, 0, 2 ** 31 - 1)} ${method}`);
  if (options.contact !== undefined) headers.append('Contact', nameAddrListText('Contact', options.contact));
  appendCommon(headers, options.headers, options.contentType);
  return withBody(new SipRequest(method, uri, headers, toBody(options.body)), options.body);
}

const DIALOG_METHODS = new Set(['INVITE', 'SUBSCRIBE', 'REFER', 'NOTIFY']);

/**
 * RFC 3261 §8.2.6: a response copies Via, From, To, Call-ID, CSeq (and Timestamp for 100, Record-Route for dialogs).
 * Throws SipUnsafeValueError for a status, reason phrase, To tag or header that would break the message.
 */
export function createResponse(request: SipRequest, status: number, reason?: string, options: CreateResponseOptions = {}): SipResponse {
  integerIn('status-code', status, 100, 699);
  if (reason !== undefined) checkLine('reason-phrase', reason);
  const headers = new SipHeaders();
  const copy = (key: string): void => {
    for (const h of request.headers.list) if (h.key === key) headers.append(canonicalName(key), h.value);
  };
  copy('via');
  if (status > 100 && status < 300 && DIALOG_METHODS.has(request.method)) copy('record-route');
  copy('from');
  const to = request.headers.get('to') ?? '';
  const needsTag = options.toTag !== undefined && status > 100 && request.toTag === undefined;
  headers.append('To', needsTag ? `${to};tag=${tokenText('To', options.toTag ?? '')}` : to);
  copy('call-id');
  copy('cseq');
  if (status === 100) copy('timestamp');
  appendCommon(headers, options.headers, options.contentType);
  return withBody(new SipResponse(status, reason ?? reasonPhrase(status), headers, toBody(options.body)), options.body);
}

/** RFC 3261 §9.1: CANCEL matches the INVITE's Request-URI, Call-ID, From, To, CSeq number and top Via. */
export function createCancel(invite: SipRequest, headers?: HeaderPairs): SipRequest {
  const out = new SipHeaders();
  const topVia = invite.headers.get('via');
  if (topVia !== undefined && invite.via !== undefined) out.append('Via', serializeVia(invite.via));
  out.append('Max-Forwards', '70');
  for (const key of ['route', 'from', 'to', 'call-id']) {
    for (const h of invite.headers.list) if (h.key === key) out.append(canonicalName(key), h.value);
  }
  out.append('CSeq', `${invite.cseq?.seq ?? 1} CANCEL`);
  appendCommon(out, headers, undefined);
  return new SipRequest('CANCEL', invite.uri, out);
}
