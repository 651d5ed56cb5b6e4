import { createResponse } from '../message/sip-builders';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { ServerTransaction } from '../transaction/transaction.types';
import type { SipSource } from '../transport/transport.types';

export type SipBody = Buffer | string;

export interface ReplyOptions {
  reason?: string;
  headers?: Array<[string, string]>;
  body?: SipBody;
  contentType?: string;
  toTag?: string;
}

/** A request handed to application code; reply() goes through its server transaction. */
export interface IncomingRequest {
  readonly request: SipRequest;
  readonly source: SipSource;
  reply(status: number, opts?: ReplyOptions): Promise<void>;
}

export interface ResponseDecorations {
  /** Added to every response we originate (Server header). */
  userAgent?: string;
  /** Our Contact, for 2xx to dialog-creating requests. */
  contact?: string;
  /** Allow and Supported for 2xx to INVITE (RFC 3261 §13.3.1.4 SHOULD, RFC 3262/4028 option-tags). */
  allow?: string;
  supported?: string;
}

export class IncomingRequestImpl implements IncomingRequest {
  /** To tag used when the request had none (§8.2.6.2); dialogs override it with their local tag. */
  localTag: string;

  constructor(
    readonly request: SipRequest,
    readonly source: SipSource,
    readonly tx: ServerTransaction,
    localTag: string,
    protected readonly decorations: ResponseDecorations = {},
  ) {
    this.localTag = request.toTag ?? localTag;
  }

  get replied(): boolean {
    return this.tx.lastResponse !== undefined && this.tx.lastResponse.status >= 200;
  }

  buildResponse(status: number, opts: ReplyOptions = {}): SipResponse {
    const headers: Array<[string, string]> = [];
    if (this.decorations.userAgent !== undefined) headers.push(['Server', this.decorations.userAgent]);
    const { contact, allow, supported } = this.decorations;
    // 101-199 to INVITE may open an early dialog (PRACK, UPDATE go to this Contact)
    const method = this.request.method;
    if (contact !== undefined && ((status > 100 && status < 300 && method === 'INVITE') || (status >= 200 && status < 300 && (method === 'SUBSCRIBE' || method === 'REFER')))) {
      headers.push(['Contact', contact]);
    }
    if (status >= 200 && status < 300 && this.request.method === 'INVITE') {
      if (allow !== undefined) headers.push(['Allow', allow]);
      if (supported !== undefined && supported !== '') headers.push(['Supported', supported]);
    }
    headers.push(...(opts.headers ?? []));
    return createResponse(this.request, status, opts.reason, {
      toTag: status > 100 ? (opts.toTag ?? this.localTag) : undefined,
      headers,
      body: opts.body,
      contentType: opts.contentType ?? (opts.body !== undefined && opts.body.length > 0 ? 'application/sdp' : undefined),
    });
  }

  reply(status: number, opts: ReplyOptions = {}): Promise<void> {
    if (this.replied) return Promise.resolve();
    return this.tx.respond(this.buildResponse(status, opts));
  }
}
