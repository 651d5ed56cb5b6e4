import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** Who the console acts as: the token of a Kazoo login and the account it opened. */
export interface Session {
  token: string;
  accountId: string;
  accountName: string;
  ownerId?: string;
  method: 'api_key' | 'user_auth';
}

export type Json = Record<string, unknown>;

/** Window event fired when the API refuses the session's token. */
export const SESSION_ENDED = 'legwork:session-ended';

/** A Kazoo error envelope, read back: status, Kazoo's message and its `data` (field → rule → message). */
export class KazooApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly data: unknown,
  ) {
    super(message);
  }

  /** `field: message` for each validation failure Kazoo reported, else the message itself. */
  get details(): string[] {
    if (typeof this.data !== 'object' || this.data === null || Array.isArray(this.data)) return [this.message];
    const lines = Object.entries(this.data as Json).flatMap(([field, rules]) =>
      typeof rules === 'object' && rules !== null ? Object.values(rules as Json).map((r) => `${field}: ${String((r as Json)['message'] ?? JSON.stringify(r))}`) : [`${field}: ${String(rules)}`],
    );
    return lines.length > 0 ? lines : [this.message];
  }
}

async function request(method: string, path: string, token: string | undefined, data?: unknown): Promise<Json> {
  const res = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(token !== undefined ? { 'x-auth-token': token } : {}) },
    body: data === undefined ? undefined : JSON.stringify({ data }),
  });
  const text = await res.text();
  let body: Json = {};
  try {
    body = text === '' ? {} : (JSON.parse(text) as Json);
  } catch {
    throw new KazooApiError(res.status, `unreadable answer (HTTP ${res.status})`, undefined);
  }
  // a token that died (expired, revoked, its user disabled) ends the session: the page goes back to the login
  if (res.status === 401 && token !== undefined) dispatchEvent(new CustomEvent(SESSION_ENDED));
  if (!res.ok) throw new KazooApiError(res.status, String(body['message'] ?? `HTTP ${res.status}`), body['data']);
  return body;
}

function sessionOf(body: Json): Session {
  const data = (body['data'] ?? {}) as Json;
  return {
    token: String(body['auth_token']),
    accountId: String(data['account_id']),
    accountName: String(data['account_name'] ?? ''),
    method: data['method'] === 'user_auth' ? 'user_auth' : 'api_key',
    ...(typeof data['owner_id'] === 'string' ? { ownerId: data['owner_id'] } : {}),
  };
}

/** PUT /v2/api_auth. */
export async function loginWithApiKey(apiKey: string): Promise<Session> {
  return sessionOf(await request('PUT', '/v2/api_auth', undefined, { api_key: apiKey.trim() }));
}

/** PUT /v2/user_auth with sha1("username:password"), Kazoo's `method: sha` (SubtleCrypto is missing on plain http). */
export async function loginWithUser(username: string, password: string, accountRealm: string): Promise<Session> {
  const credentials = bytesToHex(sha1(utf8ToBytes(`${username}:${password}`)));
  return sessionOf(await request('PUT', '/v2/user_auth', undefined, { credentials, method: 'sha', account_realm: accountRealm.trim() }));
}

/** The Kazoo REST API with one session's token: the console can do exactly what that token may. */
export class KazooClient {
  constructor(readonly session: Session) {}

  /** `/v2/accounts/{id}` + rest, the account of the session unless another is given. */
  path(rest: string, accountId = this.session.accountId): string {
    return `/v2/accounts/${encodeURIComponent(accountId)}${rest}`;
  }

  async get<T = unknown>(path: string): Promise<T> {
    return (await request('GET', path, this.session.token))['data'] as T;
  }

  async put<T = unknown>(path: string, data: unknown): Promise<T> {
    return (await request('PUT', path, this.session.token, data))['data'] as T;
  }

  async post<T = unknown>(path: string, data: unknown): Promise<T> {
    return (await request('POST', path, this.session.token, data))['data'] as T;
  }

  async patch<T = unknown>(path: string, data: unknown): Promise<T> {
    return (await request('PATCH', path, this.session.token, data))['data'] as T;
  }

  async delete<T = unknown>(path: string): Promise<T> {
    return (await request('DELETE', path, this.session.token))['data'] as T;
  }

  /** A GET answered in `accept` (a recording's WAV), as a Blob: the token rides in its header, which <audio src> cannot send. */
  async blob(path: string, accept: string): Promise<Blob> {
    const res = await fetch(path, { headers: { accept, 'x-auth-token': this.session.token } });
    if (res.ok) return res.blob();
    if (res.status === 401) dispatchEvent(new CustomEvent(SESSION_ENDED));
    const body = (await res.json().catch(() => ({}))) as Json;
    throw new KazooApiError(res.status, String(body['message'] ?? `HTTP ${res.status}`), body['data']);
  }

  /** DELETE /v2/token_auth: the token dies server-side too. */
  async logout(): Promise<void> {
    await request('DELETE', '/v2/token_auth', this.session.token).catch(() => undefined);
  }
}

const SESSION_KEY = 'legwork.console.session';

export function savedSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw === null ? undefined : (JSON.parse(raw) as Session);
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session | undefined): void {
  if (session === undefined) sessionStorage.removeItem(SESSION_KEY);
  else sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}
