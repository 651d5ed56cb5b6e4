import type { PushWake } from '../push/push-wake';
import type { EndpointResolution } from './originate.types';

/**
 * The endpoints this node may ring: one whose connection another node holds is reachable only through that
 * node (intake hands the request over while it lives); here it is a failure, its Contact is never dialled.
 */
export function ringableHere(resolution: EndpointResolution, nodeId: string): EndpointResolution {
  const foreign = resolution.endpoints.filter((e) => e.ownerNode !== undefined && e.ownerNode !== nodeId);
  if (foreign.length === 0) return resolution;
  return {
    endpoints: resolution.endpoints.filter((e) => !foreign.includes(e)),
    failures: [
      ...resolution.failures,
      ...foreign.map((e) => ({ index: e.index, endpoint: e.endpoint, cause: 'DESTINATION_OUT_OF_ORDER', reason: `reachable only through the connection node ${e.ownerNode ?? ''} holds` })),
    ],
  };
}

/** Devices to wake by push ring only when this node can push to their provider; otherwise they are simply not registered. */
export function pushableHere(resolution: EndpointResolution, pushWake: PushWake | undefined): EndpointResolution {
  const unpushable = resolution.endpoints.filter((e) => e.push !== undefined && (pushWake === undefined || !pushWake.serves(e.push.provider)));
  if (unpushable.length === 0) return resolution;
  return {
    endpoints: resolution.endpoints.filter((e) => !unpushable.includes(e)),
    failures: [
      ...resolution.failures,
      ...unpushable.map((e) => ({ index: e.index, endpoint: e.endpoint, cause: 'DESTINATION_OUT_OF_ORDER', reason: `${e.aor ?? 'the device'} is not registered and no push sender serves ${e.push?.provider ?? ''}` })),
    ],
  };
}
