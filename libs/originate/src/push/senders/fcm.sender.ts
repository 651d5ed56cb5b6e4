import { createPrivateKey, type KeyObject } from 'node:crypto';
import { describeError } from './describe-error';
import type { PushMessage, PushResult, PushSender } from '../push.types';
import { signJwt } from './jwt';

/** The fields of a Google service-account key file this sender uses. */
export interface FcmServiceAccount {
  client_email: string;
  private_key: string;
  project_id: string;
  token_uri?: string;
}

export interface FcmOptions {
  serviceAccount: FcmServiceAccount;
  /** OAuth2 token endpoint; default the key file's token_uri, else https://oauth2.googleapis.com/token. */
  tokenUrl?: string;
  /** Default https://fcm.googleapis.com. */
  url?: string;
  timeoutMs?: number;
  now?: () => number;
}

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** FCM HTTP v1: a service-account JWT (RS256) traded for an OAuth2 access token, then a high-priority data message. */
export class FcmSender implements PushSender {
  readonly name = 'fcm';
  private readonly key: KeyObject;
  private readonly tokenUrl: string;
  private access: { token: string; until: number } | undefined;

  constructor(private readonly opts: FcmOptions) {
    this.key = createPrivateKey(opts.serviceAccount.private_key);
    this.tokenUrl = opts.tokenUrl ?? opts.serviceAccount.token_uri ?? 'https://oauth2.googleapis.com/token';
  }

  async send(message: PushMessage): Promise<PushResult> {
    // data values must be strings in FCM
    const data: Record<string, string> = { kind: message.kind, call_id: message.callId };
    if (message.callerName !== undefined) data['caller_name'] = message.callerName;
    if (message.reason !== undefined) data['reason'] = message.reason;
    const body = JSON.stringify({ message: { token: message.prid, data, android: { priority: 'HIGH', ttl: '0s' } } });
    const url = `${this.opts.url ?? 'https://fcm.googleapis.com'}/v1/projects/${encodeURIComponent(this.opts.serviceAccount.project_id)}/messages:send`;
    try {
      let res = await this.post(url, body);
      // a token revoked early: fetch a new one once
      if (res.status === 401) {
        this.access = undefined;
        res = await this.post(url, body);
      }
      if (res.ok) return { ok: true, status: res.status };
      return { ok: false, status: res.status, error: errorOf(await res.text()) ?? `HTTP ${res.status}` };
    } catch (err) {
      return { ok: false, error: describeError(err) };
    }
  }

  private async post(url: string, body: string): Promise<Response> {
    const token = await this.accessToken();
    return fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000) });
  }

  private async accessToken(): Promise<string> {
    const now = (this.opts.now ?? Date.now)();
    if (this.access !== undefined && now < this.access.until) return this.access.token;
    const iat = Math.floor(now / 1000);
    const assertion = signJwt('RS256', this.key, {}, { iss: this.opts.serviceAccount.client_email, scope: SCOPE, aud: this.tokenUrl, iat, exp: iat + 3600 });
    const res = await fetch(this.tokenUrl, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`FCM token endpoint answered ${res.status}: ${text.slice(0, 200)}`);
    const parsed = JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
    if (typeof parsed.access_token !== 'string') throw new Error('FCM token endpoint gave no access_token');
    const ttl = typeof parsed.expires_in === 'number' ? parsed.expires_in : 3600;
    // renewed a minute early so a push never leaves with a token about to expire
    this.access = { token: parsed.access_token, until: now + Math.max(0, ttl - 60) * 1000 };
    return parsed.access_token;
  }
}

/** FCM's error: the FcmError code in details when present (UNREGISTERED, INVALID_ARGUMENT), else the status. */
function errorOf(text: string): string | undefined {
  try {
    const error = (JSON.parse(text) as { error?: { status?: string; message?: string; details?: Array<{ errorCode?: string }> } }).error;
    return error?.details?.find((d) => typeof d.errorCode === 'string')?.errorCode ?? error?.status ?? error?.message;
  } catch {
    return text.trim().slice(0, 200) || undefined;
  }
}
