import type { CallStore } from '@legwork/call-state';
import { type Logger, newId, silentLogger } from '@legwork/common';
import { endpointAutoAnswer, type OriginateEndpoint, type OriginateRequest } from '@legwork/contracts';
import { endpointCallerId, type Directory } from '@legwork/directory';
import type { EndpointResolver, ResolvedEndpoint, ResolveFailure } from '../engine/originate.types';
import type { NumberPlan } from '../routing/e164';
import type { ContactLookup } from './endpoint-contacts';
import { customHeaders } from './endpoint-headers';
import { endpointIdentity } from './endpoint-identity';
import { endpointLegs, type LegContext } from './endpoint-legs';
import { resolveRoute } from './route-resolver';

export interface EndpointResolverOptions {
  directory: Directory;
  calls: CallStore;
  /** The AOR's contacts this node can reach (see contactsFromSipServer). */
  contactsFor: ContactLookup;
  /** Realm for endpoints that name none when the account cannot be read. */
  realmDefault?: string;
  /** Country code for national numbers; default "1". */
  defaultCountryCode?: string;
  logger?: Logger;
}

/** SIP Call-IDs: the endpoint's Outbound-Call-ID, else the request's for a lone endpoint, else fresh; extra contacts get `-n`. */
function callIdsFor(req: OriginateRequest, ep: OriginateEndpoint, count: number): string[] {
  const given = ep['Outbound-Call-ID'] ?? (req.Endpoints.length === 1 ? req['Outbound-Call-ID'] : undefined);
  return Array.from({ length: count }, (_, k) => (given === undefined ? newId() : k === 0 ? given : `${given}-${k}`));
}

export function createEndpointResolver(opts: EndpointResolverOptions): EndpointResolver {
  const { directory, calls, contactsFor } = opts;
  const logger = opts.logger ?? silentLogger;
  const plan: NumberPlan = { defaultCountryCode: opts.defaultCountryCode ?? '1' };
  const route = (text: string, accountId: string) => resolveRoute(directory, contactsFor, plan, text, accountId);

  async function resolveOne(req: OriginateRequest, ep: OriginateEndpoint, index: number, context: Promise<LegContext>, accountId: string): Promise<ResolvedEndpoint[] | ResolveFailure> {
    const [identity, ctx] = await Promise.all([endpointIdentity(directory, accountId, ep['Endpoint-ID']), context]);
    if (!identity.ok) return { index, endpoint: ep, cause: identity.cause, reason: identity.reason };
    const found = await endpointLegs(ctx, ep, identity.push);
    if (!('legs' in found)) return { index, endpoint: ep, cause: found.cause, reason: found.reason };
    const ids = callIdsFor(req, ep, found.legs.length);
    const callerId = endpointCallerId(identity.callerIds, req['Application-Data']?.Route ?? ep['To-DID'], plan);
    const headers = customHeaders(req, ep);
    return found.legs.map((leg, k) => ({
      index,
      endpoint: ep,
      callId: ids[k] ?? newId(),
      requestUri: leg.requestUri,
      target: leg.target,
      headers,
      autoAnswer: endpointAutoAnswer(ep),
      ...(leg.aor !== undefined ? { aor: leg.aor } : {}),
      ...(identity.endpointId !== undefined ? { endpointId: identity.endpointId } : {}),
      ...(leg.ownerNode !== undefined ? { ownerNode: leg.ownerNode } : {}),
      ...(callerId !== undefined ? { callerId } : {}),
      ...(identity.owner !== undefined ? { owner: identity.owner } : {}),
      ...(leg.dialledNumber !== undefined ? { dialledNumber: leg.dialledNumber } : {}),
      ...(leg.push !== undefined ? { push: leg.push } : {}),
      ...(ep['Endpoint-Timeout'] !== undefined ? { timeoutSeconds: ep['Endpoint-Timeout'] } : {}),
      ...(ep['Endpoint-Delay'] !== undefined ? { delaySeconds: ep['Endpoint-Delay'] } : {}),
    }));
  }

  return {
    async resolve(req, accountId, nodeId) {
      // the account (for its realm) is read alongside each endpoint's device, not before it
      const found = directory.accounts.find(accountId);
      const context = found.then((account): LegContext => ({ calls, contactsFor, plan, nodeId, realm: account?.realm ?? opts.realmDefault ?? 'localhost', route: (text) => route(text, accountId) }));
      const endpoints: ResolvedEndpoint[] = [];
      const failures: ResolveFailure[] = [];
      // awaited with the endpoints, so a failed read is observed even when no endpoint waits on it
      const [account, , results] = await Promise.all([found, context, Promise.all(req.Endpoints.map((ep, index) => resolveOne(req, ep, index, context, accountId)))]);
      for (const result of results) {
        if (Array.isArray(result)) endpoints.push(...result);
        else failures.push(result);
      }
      if (failures.length > 0) logger.debug({ accountId, failures: failures.map((f) => ({ index: f.index, cause: f.cause, reason: f.reason })) }, 'originate: endpoints not resolved');
      return { endpoints, failures, account };
    },
    resolveRoute: route,
  };
}
