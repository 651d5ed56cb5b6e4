import { randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyJwt } from './jwt-verify';

export interface LocalFcmOptions {
  publicKey: KeyObject;
  clientEmail: string;
  projectId: string;
  /** Registration tokens FCM knows; others are UNREGISTERED (404). */
  tokens: string[];
  now?: () => number;
}

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

/**
 * Google's OAuth2 token endpoint and FCM HTTP v1 `messages:send` on 127.0.0.1, refusing what the real ones refuse
 * (a bad assertion, an unknown bearer token, a malformed message) with their status codes and error shapes.
 */
export class LocalFcm {
  readonly messages: Array<Record<string, unknown>> = [];
  readonly tokensIssued: string[] = [];
  private constructor(
    private readonly server: Server,
    private readonly opts: LocalFcmOptions,
  ) {}

  static async start(opts: LocalFcmOptions): Promise<LocalFcm> {
    const server = createServer();
    const fcm = new LocalFcm(server, opts);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void fcm.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fcm;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get tokenUrl(): string {
    return `${this.url}/token`;
  }

  /** Forgets every access token issued, as a revocation would. */
  revokeTokens(): void {
    this.tokensIssued.splice(0);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const send = (status: number, json: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    if (req.method === 'POST' && req.url === '/token') return this.token(req, body, send);
    const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(req.url ?? '');
    if (req.method !== 'POST' || match === null) return send(404, { error: { code: 404, status: 'NOT_FOUND', message: 'not found' } });
    const bearer = /^Bearer (.+)$/.exec(req.headers['authorization'] ?? '')?.[1];
    if (bearer === undefined || !this.tokensIssued.includes(bearer)) return send(401, { error: { code: 401, status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.' } });
    if (decodeURIComponent(match[1] ?? '') !== this.opts.projectId) return send(403, { error: { code: 403, status: 'PERMISSION_DENIED', message: 'SenderId mismatch' } });
    const problem = messageProblem(body);
    if (problem !== undefined) return send(400, { error: { code: 400, status: 'INVALID_ARGUMENT', message: problem, details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'INVALID_ARGUMENT' }] } });
    const message = (JSON.parse(body) as { message: Record<string, unknown> }).message;
    if (!this.opts.tokens.includes(String(message['token']))) {
      return send(404, { error: { code: 404, status: 'NOT_FOUND', message: 'Requested entity was not found.', details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }] } });
    }
    this.messages.push(message);
    send(200, { name: `projects/${this.opts.projectId}/messages/${randomBytes(8).toString('hex')}` });
  }

  private token(req: IncomingMessage, body: string, send: (status: number, json: unknown) => void): void {
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return send(400, { error: 'invalid_request', error_description: 'form body required' });
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return send(400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' });
    const jwt = verifyJwt(form.get('assertion') ?? '', 'RS256', this.opts.publicKey);
    const now = Math.floor((this.opts.now ?? Date.now)() / 1000);
    const c = jwt?.claims;
    const iat = Number(c?.['iat']);
    const exp = Number(c?.['exp']);
    if (c === undefined || c['iss'] !== this.opts.clientEmail || c['aud'] !== this.tokenUrl || c['scope'] !== SCOPE) return send(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature or claims.' });
    if (!(exp > iat && exp - iat <= 3600 && exp > now && iat <= now + 60)) return send(400, { error: 'invalid_grant', error_description: 'Invalid JWT: Token must be a short-lived token (60 minutes)' });
    const token = `ya29.${randomBytes(16).toString('hex')}`;
    this.tokensIssued.push(token);
    send(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** What FCM v1 refuses as INVALID_ARGUMENT: no single target, non-string data values, a bad Android priority. */
function messageProblem(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'Invalid JSON payload received.';
  }
  const message = (parsed as { message?: unknown }).message;
  if (typeof message !== 'object' || message === null) return 'message is required';
  const m = message as Record<string, unknown>;
  if (['token', 'topic', 'condition'].filter((k) => m[k] !== undefined).length !== 1) return 'exactly one of token, topic or condition is required';
  const data = m['data'];
  if (data !== undefined && (typeof data !== 'object' || data === null || Object.values(data).some((v) => typeof v !== 'string'))) return 'data values must be strings';
  const android = m['android'] as Record<string, unknown> | undefined;
  if (android?.['priority'] !== undefined && !['HIGH', 'NORMAL'].includes(String(android['priority']))) return `Invalid value at 'message.android.priority'`;
  if (android?.['ttl'] !== undefined && !/^\d+(\.\d{1,9})?s$/.test(String(android['ttl']))) return `Invalid value at 'message.android.ttl'`;
  return undefined;
}
