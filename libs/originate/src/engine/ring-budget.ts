import type { OriginateRequest } from '@legwork/contracts';
import { DEFAULT_TIMEOUT_S } from '../applications/b-leg.dialer';
import type { ResolvedEndpoint } from './originate.types';

/**
 * How long the A-legs may ring in all: the request's Timeout; without one, ecallmgr's 10 s (find_originate_timeout),
 * stretched to the longest Endpoint-Timeout so an endpoint's own bound is honoured. Each leg is also bounded by
 * its Endpoint-Timeout (ring.strategy).
 */
export function ringBudgetMs(req: OriginateRequest, endpoints: ResolvedEndpoint[]): number {
  if (req.Timeout !== undefined) return req.Timeout * 1000;
  return Math.max(DEFAULT_TIMEOUT_S, ...endpoints.map((e) => e.timeoutSeconds ?? 0)) * 1000;
}
