import { SIGNATURE_HEADER, signPayload } from '@legwork/webhook-delivery';
import { describeError } from './describe-error';
import type { PushMessage, PushResult, PushSender } from '../push.types';

export interface HttpGatewayOptions {
  /** Where every push is POSTed (`PUSH_GATEWAY_URL`). */
  url: string;
  /** HMAC key: the body is signed as webhooks are (`X-Legwork-Signature: t=…,v1=…`). */
  secret?: string;
  /** Attempts in all; network errors, 429 and 5xx are retried, other answers are final. Default 3. */
  attempts?: number;
  /** First retry delay, doubled each time. Default 200 ms. */
  backoffMs?: number;
  /** Per attempt. Default 5000 ms. */
  timeoutMs?: number;
  now?: () => number;
}

const retryable = (status: number): boolean => status === 429 || status >= 500;

/** The generic push gateway: POST JSON {provider, prid, param, kind, call_id, caller_name, reason}, signed, retried. */
export class HttpGatewaySender implements PushSender {
  readonly name = 'gateway';

  constructor(private readonly opts: HttpGatewayOptions) {}

  async send(message: PushMessage): Promise<PushResult> {
    const body = JSON.stringify({
      provider: message.provider, prid: message.prid, param: message.param ?? null, kind: message.kind, call_id: message.callId,
      caller_name: message.callerName ?? null, reason: message.reason ?? null,
    });
    const attempts = Math.max(1, this.opts.attempts ?? 3);
    let last: PushResult = { ok: false, error: 'not sent' };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, (this.opts.backoffMs ?? 200) * 2 ** (attempt - 2)));
      last = await this.attempt(body);
      if (last.ok || (last.status !== undefined && !retryable(last.status))) return last;
    }
    return last;
  }

  private async attempt(body: string): Promise<PushResult> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.opts.secret !== undefined) headers[SIGNATURE_HEADER] = signPayload(this.opts.secret, body, Math.floor((this.opts.now ?? Date.now)() / 1000));
    try {
      const res = await fetch(this.opts.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000) });
      const text = await res.text();
      if (res.ok) return { ok: true, status: res.status };
      return { ok: false, status: res.status, error: text.trim().slice(0, 500) || `HTTP ${res.status}` };
    } catch (err) {
      return { ok: false, error: describeError(err) };
    }
  }
}
