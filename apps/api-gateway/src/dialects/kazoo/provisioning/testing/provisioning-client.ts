import { randomBytes } from 'node:crypto';
import type { Directory } from '@legwork/directory';

export interface KazooReply {
  status: number;
  body: Record<string, unknown> & { data?: unknown; revision?: string; status?: string; message?: string; error?: string };
  /** Response headers, lower-cased names. */
  headers: Record<string, string>;
}

/** The running gateway a provisioning suite talks to, and its directory (to seed accounts and tokens). */
export interface ProvisioningHarness {
  url: string;
  directory: Directory;
  close(): Promise<void>;
}

/** A tiny Kazoo REST client: JSON in, the parsed envelope out. */
export class KazooClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  async call(method: string, path: string, data?: unknown, headers: Record<string, string> = {}): Promise<KazooReply> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token ? { 'x-auth-token': this.token } : {}), ...headers },
      body: data === undefined ? undefined : JSON.stringify(data),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as KazooReply['body']) : {}, headers: Object.fromEntries(res.headers.entries()) };
  }

  put(path: string, data: unknown): Promise<KazooReply> {
    return this.call('PUT', path, { data });
  }

  /** A GET whose body is not JSON (a recording's audio): the raw response. */
  fetchRaw(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, { headers: { ...(this.token ? { 'x-auth-token': this.token } : {}), ...headers } });
  }

  get(path: string): Promise<KazooReply> {
    return this.call('GET', path);
  }

  post(path: string, data: unknown, headers?: Record<string, string>): Promise<KazooReply> {
    return this.call('POST', path, { data }, headers);
  }

  patch(path: string, data: unknown, headers?: Record<string, string>): Promise<KazooReply> {
    return this.call('PATCH', path, { data }, headers);
  }

  delete(path: string): Promise<KazooReply> {
    return this.call('DELETE', path);
  }
}

/** Names unique to one run so suites sharing a Redis never clash on unique names or realms. */
export function uniqueTag(): string {
  return randomBytes(4).toString('hex');
}

/** A client holding the token PUT /v2/api_auth gives for the account's API key. */
export async function clientFor(h: ProvisioningHarness, accountId: string): Promise<KazooClient> {
  const apiKey = await h.directory.credentials.createApiKey(accountId);
  const reply = await new KazooClient(h.url).put('/v2/api_auth', { api_key: apiKey });
  if (reply.status !== 201 || typeof reply.body['auth_token'] !== 'string') throw new Error(`api_auth failed with ${reply.status}`);
  return new KazooClient(h.url, reply.body['auth_token']);
}

/** A root account and a client authenticated as it. */
export async function tenant(h: ProvisioningHarness, label: string): Promise<{ id: string; realm: string; client: KazooClient }> {
  const tag = uniqueTag();
  const account = await h.directory.accounts.create({ name: `${label}-${tag}`, realm: `${label}-${tag}.test.legwork.local` });
  return { id: account.id, realm: account.realm, client: await clientFor(h, account.id) };
}

/** The `data` of a reply as a record. */
export function dataOf(reply: KazooReply): Record<string, unknown> {
  return reply.body.data as Record<string, unknown>;
}

/** The `data` of a list reply. */
export function listOf(reply: KazooReply): Record<string, unknown>[] {
  return reply.body.data as Record<string, unknown>[];
}
