import { Agent, type Dispatcher } from 'undici';
import type { Webhook } from '@legwork/directory';
import { formEncode } from './hook-payload';
import { SIGNATURE_HEADER, signPayload } from './signature';
import type { UrlGuard, UrlVerdict } from './url-guard';

/** Requests started within one slice share one timer: each is bounded by totalTimeoutMs plus at most this. */
const DEADLINE_SLICE_MS = 100;
/** An answer's body read beyond this is cut off (the connection closed), as undici's dump() does; its status stands. */
const BODY_READ_MAX = 128 * 1024;
/** Verdicts kept for URLs that need no DNS (an address, or a host allowed by name); all are dropped beyond this. */
const FIXED_VERDICTS_MAX = 1000;

export type SendResult = { kind: 'success' | 'gone' | 'failure'; statusCode?: number; error?: string; durationMs: number };

/** Where a delivery goes and how: an account hook, or a per-call callback shaped like one. */
export type DeliveryTarget = Pick<Webhook, 'id' | 'account_id' | 'uri' | 'secret' | 'http_verb' | 'format'>;

export interface HttpSenderOptions {
  guard: UrlGuard;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  now?: () => number;
}

/** The final status of one request, or why it has none; the answer's body is read and dropped. */
type Outcome = { statusCode: number } | { error: unknown };

/**
 * One request on undici's dispatcher, answered by its status alone: no response stream, no header object, no abort
 * signal. `expire` aborts it (the total time bound), now or, before it is connected, as soon as it is.
 */
class StatusRequest implements Dispatcher.DispatchHandler {
  private abort: ((reason: Error) => void) | undefined;
  private expired: Error | undefined;
  private statusCode = 0;
  private bodyBytes = 0;
  private settled = false;

  constructor(private readonly done: (outcome: Outcome) => void) {}

  expire(): void {
    this.expired = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    this.abort?.(this.expired);
  }

  onConnect(abort: (reason: Error) => void): void {
    this.abort = abort;
    if (this.expired !== undefined) abort(this.expired);
  }

  onHeaders(statusCode: number): boolean {
    // 1xx answers are interim: the final status follows.
    if (statusCode >= 200) this.statusCode = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bodyBytes += chunk.length;
    if (this.bodyBytes <= BODY_READ_MAX) return true;
    this.finish({ statusCode: this.statusCode });
    this.abort?.(new Error('answer body too large'));
    return false;
  }

  onComplete(): void {
    this.finish({ statusCode: this.statusCode });
  }

  onError(err: Error): void {
    this.finish({ error: err });
  }

  private finish(outcome: Outcome): void {
    if (this.settled) return;
    this.settled = true;
    this.done(outcome);
  }
}

/** One HTTP attempt: encode per the hook's format and verb, sign, send with bounded time. */
export class HttpSender {
  private readonly agent: Agent;
  private slice = -1;
  private sliceOpen: Set<StatusRequest> | undefined;
  private readonly fixedVerdicts = new Map<string, UrlVerdict>();

  constructor(private readonly opts: HttpSenderOptions) {
    this.agent = new Agent({ connect: { timeout: opts.connectTimeoutMs, lookup: opts.guard.lookup }, headersTimeout: opts.totalTimeoutMs, bodyTimeout: opts.totalTimeoutMs });
  }

  async send(hook: DeliveryTarget, payload: Record<string, unknown>): Promise<SendResult> {
    const started = performance.now();
    const took = (): number => Math.round(performance.now() - started);
    // Checked again at send time: the stored URL may now resolve somewhere private.
    const verdict = await this.verdict(hook.uri);
    if (!verdict.ok) return { kind: 'failure', error: `refused: ${verdict.reason}`, durationMs: took() };
    const { url, body, contentType } = encode(verdict.url, hook, payload);
    const t = Math.floor((this.opts.now ?? Date.now)() / 1000);
    const headers: Record<string, string> = {
      [SIGNATURE_HEADER]: signPayload(hook.secret, hook.http_verb === 'get' ? url.search.slice(1) : body, t),
      'X-Hook-ID': hook.id,
      'X-Account-ID': hook.account_id,
      'User-Agent': 'legwork-webhooks',
    };
    if (hook.http_verb !== 'get') headers['Content-Type'] = contentType;
    const outcome = await this.dispatch({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: hook.http_verb === 'get' ? 'GET' : hook.http_verb === 'put' ? 'PUT' : 'POST',
      headers,
      body: hook.http_verb === 'get' ? undefined : body,
    });
    if ('error' in outcome) {
      const err = outcome.error;
      return { kind: 'failure', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), durationMs: took() };
    }
    const code = outcome.statusCode;
    if (code >= 200 && code < 300) return { kind: 'success', statusCode: code, durationMs: took() };
    return { kind: code === 410 ? 'gone' : 'failure', statusCode: code, error: `HTTP ${code}`, durationMs: took() };
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private dispatch(opts: Dispatcher.DispatchOptions): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const req = new StatusRequest((outcome) => {
        open.delete(req);
        resolve(outcome);
      });
      const open = this.deadline(req);
      this.agent.dispatch(opts, req);
    });
  }

  /** Checked on every send; a verdict that depends on the URL's text alone is kept (one per URL, not per delivery). */
  private async verdict(uri: string): Promise<UrlVerdict> {
    const held = this.fixedVerdicts.get(uri);
    if (held !== undefined) return held;
    const verdict = await this.opts.guard.check(uri);
    if (verdict.ok && this.opts.guard.needsNoLookup(verdict.url)) {
      if (this.fixedVerdicts.size >= FIXED_VERDICTS_MAX) this.fixedVerdicts.clear();
      this.fixedVerdicts.set(uri, verdict);
    }
    return verdict;
  }

  /** The total time bound: requests started in one slice share one timer, which expires those still open. */
  private deadline(req: StatusRequest): Set<StatusRequest> {
    const slice = Math.floor(performance.now() / DEADLINE_SLICE_MS);
    let open = this.sliceOpen;
    if (slice !== this.slice || open === undefined) {
      const due = new Set<StatusRequest>();
      this.slice = slice;
      this.sliceOpen = open = due;
      setTimeout(() => due.forEach((r) => r.expire()), this.opts.totalTimeoutMs + DEADLINE_SLICE_MS).unref();
    }
    open.add(req);
    return open;
  }
}

/** `base` may be a kept verdict's URL: only a copy of it is changed. */
function encode(base: URL, hook: DeliveryTarget, payload: Record<string, unknown>): { url: URL; body: string; contentType: string } {
  if (hook.http_verb === 'get') {
    const url = new URL(base.href);
    const extra = new URLSearchParams(formEncode(payload));
    for (const [k, v] of extra) url.searchParams.append(k, v);
    return { url, body: '', contentType: '' };
  }
  if (hook.format === 'form-data') return { url: base, body: formEncode(payload), contentType: 'application/x-www-form-urlencoded' };
  return { url: base, body: JSON.stringify(payload), contentType: 'application/json' };
}
