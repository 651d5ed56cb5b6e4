import { bridgeEndpointOf } from '@legwork/contracts';
import { ringableHere } from '../engine/endpoint-locality';
import type { ResolvedEndpoint, RouteTarget } from '../engine/originate.types';
import { Refusal } from '../engine/refusal';
import type { AnsweredA, CallApplication, SessionView } from './application.types';
import { connectToTargets } from './b-leg.dialer';

/** A resolved endpoint as a destination to dial; it is never trusted with P-Asserted-Identity (not the account's carrier). */
function targetOf(e: ResolvedEndpoint): RouteTarget {
  return {
    kind: 'local', requestUri: e.requestUri, target: e.target, headers: e.headers,
    ...(e.dialledNumber !== undefined ? { number: e.dialledNumber } : {}),
    ...(e.endpointId !== undefined ? { endpointId: e.endpointId } : {}),
  };
}

/**
 * `bridge` without Existing-Call-ID (ecallmgr's get_bridge_action): once an endpoint of Endpoints answers, the
 * endpoint in Application-Data is dialled and bridged to it. It is resolved before anything rings, so one that
 * cannot be reached is an error reply, not Kazoo's silent failure.
 */
export class BridgeEndpointApplication implements CallApplication {
  readonly name = 'bridge';
  private endpoints: ResolvedEndpoint[] = [];
  private timeoutSeconds: number | undefined;

  async prepare(s: SessionView): Promise<void> {
    const endpoint = bridgeEndpointOf(s.req);
    if (endpoint === undefined) throw new Refusal('INVALID_NUMBER_FORMAT', 'Application-Data is not an endpoint to bridge to');
    const { nodeId, resolver } = s.host.opts;
    // resolved on its own: the request's Outbound-Call-ID belongs to the A-leg
    const alone = { ...s.req, 'Outbound-Call-ID': undefined, Endpoints: [endpoint] };
    const { endpoints, failures } = ringableHere(await resolver.resolve(alone, s.accountId, nodeId), nodeId);
    if (endpoints.length === 0) {
      const first = failures[0];
      throw new Refusal(first?.cause ?? 'DESTINATION_OUT_OF_ORDER', `Application-Data endpoint: ${first?.reason ?? 'could not be resolved'}`);
    }
    this.endpoints = endpoints;
    this.timeoutSeconds = endpoint['Endpoint-Timeout'];
  }

  dialled(): ResolvedEndpoint[] {
    return this.endpoints;
  }

  otherLegCallId(): undefined {
    return undefined;
  }

  async start(s: SessionView, a: AnsweredA): Promise<void> {
    await connectToTargets(s, a, this.endpoints.map(targetOf), { cause: 'DESTINATION_OUT_OF_ORDER' }, this.timeoutSeconds !== undefined ? { timeoutSeconds: this.timeoutSeconds } : {});
  }
}
