import { request } from 'node:http';

export type Dialect = 'kazoo' | 'voipnow' | 'basix' | 'xon' | 'netaxis' | 'platform';

/** Which dialect answers a path, by its mount. */
export function dialectOf(template: string): Dialect {
  if (template.startsWith('/v2/')) return 'kazoo';
  if (template.startsWith('/oauth/') || template.startsWith('/uapi/')) return 'voipnow';
  if (template.startsWith('/basix/')) return 'basix';
  if (template.startsWith('/v1/')) return 'xon';
  if (template.startsWith('/api/v1/')) return 'netaxis';
  return 'platform';
}

type Body = Record<string, unknown> | undefined;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): boolean => typeof v === 'string' && v.length > 0;

/** Why an error reply is not in the dialect's own shape (each dialect's README), or undefined when it is. */
export function shapeProblem(dialect: Dialect, status: number, body: Body, raw: string, template = ''): string | undefined {
  if (status < 400 || dialect === 'platform') return undefined;
  if (body === undefined) {
    // X-on's seed answers "no valid device" with an empty 404
    return dialect === 'xon' && status === 404 && raw === '' ? undefined : `not JSON: ${raw.slice(0, 120)}`;
  }
  const err = body['error'];
  switch (dialect) {
    case 'kazoo':
      return body['status'] === 'error' && body['error'] === String(status) && str(body['message']) ? undefined : 'not a Kazoo error envelope';
    case 'voipnow':
      // the token endpoint answers OAuth's {"error","error_description"}, and VoipNow's shape for a body it cannot read
      if (template === '/oauth/token.php' && str(err) && str(body['error_description'])) return undefined;
      return isObject(err) && str(err['code']) && str(err['message']) && Object.keys(err).length === 2 ? undefined : 'not {"error":{"code","message"}}';
    case 'basix':
      return isObject(err) && str(err['id']) && str(err['message']) && typeof body['result_code'] === 'number' ? undefined : 'not {"result_code","error":{"id","message"}}';
    case 'xon':
      return str(err) && Object.keys(body).every((k) => k === 'error' || k === 'field') ? undefined : 'not {"error": "...", "field"?}';
    case 'netaxis':
      return isObject(err) && err['status'] === status && str(err['code']) && str(err['message']) ? undefined : 'not {"error":{"status","code","message"}}';
  }
}

export interface RawReply {
  status: number;
  raw: string;
  body: Body;
}

/** One request with exactly these bytes and headers; rejects when no answer comes within `timeoutMs`. */
export function send(base: string, method: string, path: string, headers: Record<string, string>, body: Buffer | undefined, timeoutMs: number): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = request({ host: url.hostname, port: url.port, method, path, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const raw = Buffer.concat(chunks).toString('utf8');
        let parsed: Body;
        try {
          const value: unknown = raw === '' ? undefined : JSON.parse(raw);
          parsed = isObject(value) ? value : undefined;
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, raw, body: parsed });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no reply within ${timeoutMs} ms`));
    }, timeoutMs);
    // a server that answers 413 before reading a large body may reset the upload: the answer still counts
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(body);
  });
}
