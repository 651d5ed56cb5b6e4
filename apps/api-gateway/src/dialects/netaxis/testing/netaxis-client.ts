import { request as httpRequest } from 'node:http';

// Test helper for the end-to-end suites: a Netaxis call-service client as its users write one (a token, then Bearer calls).
export interface NetaxisReply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A GET with a JSON body, as the seed sends `{"includeDetails": true}` (fetch refuses bodies on GET). */
function getWithBody(url: string, token: string | undefined, body: unknown): Promise<NetaxisReply> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const headers = new Headers(Object.entries(res.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])));
        resolve({ status: res.statusCode ?? 0, headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** One request; `body` goes as JSON (a string as it is), none when undefined. */
export async function netaxisRequest(baseUrl: string, method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<NetaxisReply> {
  if (method === 'GET' && opts.body !== undefined) return getWithBody(`${baseUrl}${path}`, opts.token, opts.body);
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(opts.token !== undefined ? { authorization: `Bearer ${opts.token}` } : {}) },
    ...(opts.body !== undefined ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

export class NetaxisClient {
  private constructor(
    readonly baseUrl: string,
    readonly token: string,
    readonly role: string,
  ) {}

  /** POST /api/v1/auth/token; fails loudly unless a token comes back. */
  static async login(baseUrl: string, username: string, password: string): Promise<NetaxisClient> {
    const res = await netaxisRequest(baseUrl, 'POST', '/api/v1/auth/token', { body: { username, password } });
    if (res.status !== 200 || typeof res.body['accessToken'] !== 'string') throw new Error(`netaxis token: ${res.status} ${JSON.stringify(res.body)}`);
    return new NetaxisClient(baseUrl, res.body['accessToken'], String(res.body['role']));
  }

  call(method: string, path: string, body?: unknown): Promise<NetaxisReply> {
    return netaxisRequest(this.baseUrl, method, path, { token: this.token, body });
  }
}

/** `/api/v1/tenants/{t}/groups/{g}/users/{u}/services/calls/` and below it. */
export function callsPath(tenantId: string, groupId: string, userId: string, rest = ''): string {
  return `/api/v1/tenants/${tenantId}/groups/${groupId}/users/${encodeURIComponent(userId)}/services/calls/${rest}`;
}

/** The `error` object of a refused request, or undefined. */
export function netaxisError(reply: NetaxisReply): { status?: number; code?: string; message?: string; subErrorCode?: number; field?: string; detail?: string } | undefined {
  return reply.body['error'] as ReturnType<typeof netaxisError>;
}
