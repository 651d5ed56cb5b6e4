import type { Json } from './kazoo-platform.fixture';

export interface NetaxisReply {
  status: number;
  body: Json;
}

/** A Netaxis call-service client as its users write one: a bearer token from /api/v1/auth/token, then JSON calls. */
export class NetaxisClient {
  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async login(baseUrl: string, username: string, password: string): Promise<NetaxisClient> {
    const res = await fetch(`${baseUrl}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const body = (await res.json()) as Json;
    if (res.status !== 200 || typeof body['accessToken'] !== 'string') throw new Error(`netaxis token: ${res.status} ${JSON.stringify(body)}`);
    return new NetaxisClient(baseUrl, body['accessToken']);
  }

  async call(method: string, path: string, body?: unknown): Promise<NetaxisReply> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method, headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Json) };
  }
}
