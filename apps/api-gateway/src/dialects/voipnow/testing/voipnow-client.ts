// Test helper for the end-to-end suites: a VoipNow app as its developers write one (OAuth, then UAPI with a Bearer token).
export interface UapiReply {
  status: number;
  headers: Headers;
  body: unknown;
}

export class VoipnowClient {
  private constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  /** POST /oauth/token.php as a form with grant_type=client_credentials; fails loudly unless a token comes back. */
  static async login(baseUrl: string, clientId: string, clientSecret: string): Promise<VoipnowClient> {
    const res = await fetch(`${baseUrl}/oauth/token.php`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
    });
    const body = (await res.json()) as { access_token?: unknown };
    if (res.status !== 200 || typeof body.access_token !== 'string') throw new Error(`oauth token: ${res.status} ${JSON.stringify(body)}`);
    return new VoipnowClient(baseUrl, body.access_token);
  }

  /** A UAPI request with `Authorization: Bearer`; `path` may be a full URL (link.self). */
  async call(method: string, path: string, body?: unknown): Promise<UapiReply> {
    const url = /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`;
    const res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  /** POST /uapi/phoneCalls/{userId}/simple. */
  phoneCall(userId: string, payload: unknown, query = ''): Promise<UapiReply> {
    return this.call('POST', `/uapi/phoneCalls/${userId}/simple${query === '' ? '' : `?${query}`}`, payload);
  }
}

/** The `{"error":{"code","message"}}` of a refused request, or undefined. */
export function uapiError(reply: UapiReply): { code: string; message: string } | undefined {
  const err = (reply.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return typeof err?.code === 'string' && typeof err.message === 'string' ? { code: err.code, message: err.message } : undefined;
}
