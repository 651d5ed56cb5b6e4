import type { KazooRequest } from './kazoo.contract';

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Query strings may repeat a key; the last one counts. Only strings are tokens. */
function text(value: unknown): string | undefined {
  const last = Array.isArray(value) ? (value as unknown[])[value.length - 1] : value;
  return typeof last === 'string' ? last : undefined;
}

/**
 * The auth token as crossbar's api_util finds it: the X-Auth-Token header (present, even empty, it decides); else
 * `auth_token` from the body's `data`, the query string, then the body's top level; else `Authorization: Bearer`.
 * Undefined when the request carries none.
 */
export function presentedToken(req: KazooRequest): string | undefined {
  const header = req.headers['x-auth-token'];
  if (header !== undefined) return text(header) || undefined;
  const body = record(req.body);
  const fromValues = text(record(body?.['data'])?.['auth_token']) ?? text(req.query?.['auth_token']) ?? text(body?.['auth_token']);
  if (fromValues !== undefined) return fromValues || undefined;
  const bearer = /^Bearer +(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return bearer?.[1];
}
