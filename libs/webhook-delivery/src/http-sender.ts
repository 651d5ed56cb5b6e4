import { setMaxListeners } from 'node:events';
import { Agent, request } from 'undici';
import type { Webhook } from '@legwork/directory';
import { formEncode } from './hook-payload';
import { SIGNATURE_HEADER, signPayload } from './signature';
import type { UrlGuard, UrlVerdict } from './url-guard';

/** Requests started within one slice share one abort signal: each is bounded by totalTimeoutMs plus at most this. */
const DEADLINE_SLICE_MS = 100;
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

/** One HTTP attempt: encode per the hook's format and verb, sign, send with bounded time. */
export class HttpSender {
  private readonly agent: Agent;
  private slice = -1;
  private sliceSignal: AbortSignal | undefined;
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
    try {
      const res = await request(url, {
        method: hook.http_verb === 'get' ? 'GET' : hook.http_verb === 'put' ? 'PUT' : 'POST',
        headers,
        body: hook.http_verb === 'get' ? undefined : body,
        dispatcher: this.agent,
        signal: this.deadline(),
      });
      await res.body.dump();
      const code = res.statusCode;
      if (code >= 200 && code < 300) return { kind: 'success', statusCode: code, durationMs: took() };
      return { kind: code === 410 ? 'gone' : 'failure', statusCode: code, error: `HTTP ${code}`, durationMs: took() };
    } catch (err) {
      return { kind: 'failure', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), durationMs: took() };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
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

  /** The total time bound: one timer per slice of starts instead of one per request. */
  private deadline(): AbortSignal {
    const slice = Math.floor(performance.now() / DEADLINE_SLICE_MS);
    if (slice !== this.slice || this.sliceSignal === undefined) {
      this.slice = slice;
      this.sliceSignal = AbortSignal.timeout(this.opts.totalTimeoutMs + DEADLINE_SLICE_MS);
      setMaxListeners(0, this.sliceSignal);
    }
    return this.sliceSignal;
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
