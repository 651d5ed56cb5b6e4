/** What call_user answered: the HTTP status, the parsed body and the headers a client would look at. */
export interface BasixReply {
  status: number;
  body: Record<string, unknown> & { result_code?: number; uuids?: string[]; error?: { id?: string; field?: string; message?: string } };
  headers: Headers;
}

/** `curl -u 'DOMAIN_NAME:API_TOKEN' …/basix/api/call_user -d '…'` as a test writes it. */
export class BasixClient {
  constructor(
    private readonly baseUrl: string,
    private readonly domain?: string,
    private readonly token?: string,
  ) {}

  as(domain: string, token: string): BasixClient {
    return new BasixClient(this.baseUrl, domain, token);
  }

  /** Sends `body` as written: a string goes out verbatim (the seed's own JSON text), anything else as JSON. */
  async callUser(body: unknown, headers: Record<string, string> = {}): Promise<BasixReply> {
    const auth: Record<string, string> = this.domain === undefined ? {} : { authorization: `Basic ${Buffer.from(`${this.domain}:${this.token ?? ''}`).toString('base64')}` };
    const res = await fetch(`${this.baseUrl}/basix/api/call_user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as BasixReply['body']), headers: res.headers };
  }
}
