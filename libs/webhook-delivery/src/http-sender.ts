import { Agent, request } from 'undici';
import type { Webhook } from '@legwork/directory';
import { formEncode } from './hook-payload';
import { SIGNATURE_HEADER, signPayload } from './signature';
import type { UrlGuard } from './url-guard';

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

  constructor(private readonly opts: HttpSenderOptions) {
    this.agent = new Agent({ connect: { timeout: opts.connectTimeoutMs, lookup: opts.guard.lookup }, headersTimeout: opts.totalTimeoutMs, bodyTimeout: opts.totalTimeoutMs });
  }

  async send(hook: DeliveryTarget, payload: Record<string, unknown>): Promise<SendResult> {
    const started = performance.now();
    const took = (): number => Math.round(performance.now() - started);
    // Checked again at send time: the stored URL may now resolve somewhere private.
    const verdict = await this.opts.guard.check(hook.uri);
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
        signal: AbortSignal.timeout(this.opts.totalTimeoutMs),
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
}

function encode(base: URL, hook: DeliveryTarget, payload: Record<string, unknown>): { url: URL; body: string; contentType: string } {
  const url = new URL(base.href);
  if (hook.http_verb === 'get') {
    const extra = new URLSearchParams(formEncode(payload));
    for (const [k, v] of extra) url.searchParams.append(k, v);
    return { url, body: '', contentType: '' };
  }
  if (hook.format === 'form-data') return { url, body: formEncode(payload), contentType: 'application/x-www-form-urlencoded' };
  return { url, body: JSON.stringify(payload), contentType: 'application/json' };
}
