import type { OriginateRequest } from '@legwork/contracts';
import type { Directory, OutboundRules } from '@legwork/directory';
import { OutboundPolicy, type OutboundVerdict, type PolicyAccount } from '../policy/outbound-policy';
import { type NumberPlan, normalizeE164 } from '../routing/e164';
import { deviceCallerId } from './invite-builder';
import type { ResolvedEndpoint } from './originate.types';

/** The account's policy narrowed by the rules of each user whose endpoint is in the request. */
export function policyFor(directory: Directory, plan: NumberPlan, account: PolicyAccount, endpoints: ResolvedEndpoint[]): OutboundPolicy {
  const users = new Map<string, OutboundRules>();
  for (const e of endpoints) if (e.owner?.outbound !== undefined) users.set(e.owner.id, e.owner.outbound);
  return new OutboundPolicy(directory, plan, account, [...users].map(([id, rules]) => ({ id, rules })));
}

/**
 * What the request dials and presents to carriers, checked before anything rings: the transfer's Route and the
 * Caller-ID-Number the B-leg would show, every A-leg that itself dials a public number with the caller id it shows,
 * and what the application dials itself (a bridge's Application-Data endpoint) with the B-leg's caller id.
 */
export async function outboundRefusal(policy: OutboundPolicy, req: OriginateRequest, endpoints: ResolvedEndpoint[], plan: NumberPlan, dialled: ResolvedEndpoint[] = []): Promise<OutboundVerdict> {
  const own = endpoints.map((e) => e.callerId?.number);
  const route = req['Application-Name'] === 'transfer' ? req['Application-Data']?.Route : undefined;
  if (route !== undefined) {
    const verdict = policy.destination(route);
    if (!verdict.ok) return verdict;
    // the device's own caller id is the account's; only one the request asks for needs proving
    const presented = req['Caller-ID-Number'];
    if (presented !== undefined && normalizeE164(route, plan) !== undefined) {
      const owned = await policy.callerId(presented, own);
      if (!owned.ok) return owned;
    }
  }
  for (const e of endpoints) {
    if (e.dialledNumber === undefined) continue;
    const verdict = policy.destination(e.dialledNumber);
    if (!verdict.ok) return verdict;
    const owned = await policy.callerId(deviceCallerId(req, e).number, own);
    if (!owned.ok) return owned;
  }
  for (const e of dialled) {
    if (e.dialledNumber === undefined) continue;
    const verdict = policy.destination(e.dialledNumber);
    if (!verdict.ok) return verdict;
    const presented = req['Caller-ID-Number'];
    const owned = presented !== undefined ? await policy.callerId(presented, own) : { ok: true as const };
    if (!owned.ok) return owned;
  }
  return { ok: true };
}
