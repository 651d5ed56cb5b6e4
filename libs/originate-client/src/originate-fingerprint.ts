import { createHash } from 'node:crypto';
import { ENVELOPE_HEADERS } from '@legwork/contracts';
import { buildOriginateRequest } from './originate-request.builder';
import type { OriginateRequestBody } from './origination-client';
import type { OriginateSpec } from './originate-spec';

/** JSON with object keys sorted at every level, so equal values hash equally whatever order they were built in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, canonical(v)]));
}

/** A stable hash (sha256, hex) of any JSON value. */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(value))).digest('hex');
}

const PER_ATTEMPT = new Set<string>([...ENVELOPE_HEADERS, 'Outbound-Call-ID']);

const withoutPerAttempt = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([k]) => !PER_ATTEMPT.has(k)));

/**
 * The request's fingerprint without what changes on every attempt: the envelope (Msg-ID, Server-ID, ...) and
 * every Outbound-Call-ID. A dialect whose callers choose their call ids passes its own (specFingerprint, fingerprintOf).
 */
export function requestFingerprint(request: OriginateRequestBody): string {
  const body = withoutPerAttempt(request);
  const endpoints = request['Endpoints'];
  if (Array.isArray(endpoints)) body['Endpoints'] = endpoints.map((e) => (typeof e === 'object' && e !== null ? withoutPerAttempt(e as Record<string, unknown>) : e));
  return fingerprintOf(body);
}

/** The fingerprint of the request a spec builds, from the spec alone (no generated call id takes part). */
export function specFingerprint(spec: OriginateSpec): string {
  return fingerprintOf(buildOriginateRequest(spec, { callId: () => '' }));
}
