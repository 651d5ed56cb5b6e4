import type { OriginateEndpoint, OriginateRequest } from '@legwork/contracts';
import type { Account, OutboundRules } from '@legwork/directory';
import type { SipTarget } from '@legwork/sip';
import type { DevicePush } from '../push/push.types';
import type { ExecuteHandshake } from './execute-handshake';

/** One endpoint ready to ring: where to send the INVITE and what to put on it. */
export interface ResolvedEndpoint {
  index: number;
  endpoint: OriginateEndpoint;
  callId: string;
  requestUri: string;
  target: SipTarget;
  aor?: string;
  endpointId?: string;
  /** Set when the target flow lives on another node. */
  ownerNode?: string;
  headers: Array<[string, string]>;
  autoAnswer: boolean;
  /** The device's own caller id, used for the B-leg. */
  callerId?: { name?: string; number?: string };
  /** The user the endpoint belongs to, with its outbound rules (narrower than the account's). */
  owner?: { id: string; outbound?: OutboundRules };
  /** Set when this leg dials a public number (through a carrier route or a direct URI): outbound rules apply to it. */
  dialledNumber?: string;
  timeoutSeconds?: number;
  delaySeconds?: number;
  /**
   * RFC 8599: the device has no live binding but can be woken by a push. `target` and `requestUri` are then only its
   * AOR's; the leg is parked until it REGISTERs, and the INVITE goes to that binding (with `requestUser` as its user when set).
   */
  push?: DevicePush & { requestUser?: string };
}

/** An endpoint that cannot be rung, with the Q.850 cause to report. */
export interface ResolveFailure {
  index: number;
  endpoint: OriginateEndpoint;
  /** Q.850 name, e.g. DESTINATION_OUT_OF_ORDER. */
  cause: string;
  reason: string;
}

/** Where a `transfer` route goes: a local device or a carrier gateway. */
export interface RouteTarget {
  kind: 'local' | 'carrier';
  requestUri: string;
  target: SipTarget;
  headers: Array<[string, string]>;
  fromUser?: string;
  /** A carrier route: the E.164 number it dials (outbound rules are checked against it). */
  number?: string;
  credentials?: { username: string; password: string; realm?: string };
  resourceId?: string;
  endpointId?: string;
}

/** A destination that is a group: its members' targets ring by the group's strategy, the first to answer is bridged. */
export interface RouteHunt {
  method: 'simultaneous' | 'single';
  groupId: string;
}

/** Where a Route goes: targets tried in order (or hunted, for a group), or why there are none. */
export interface RouteResolution {
  targets: RouteTarget[];
  failure?: { cause: string; reason: string };
  hunt?: RouteHunt;
}

export interface EndpointResolver {
  resolve(req: OriginateRequest, accountId: string, nodeId: string): Promise<EndpointResolution>;
  /** A group (`group:<id>`), else local first, else carriers by weight. */
  resolveRoute(route: string, accountId: string): Promise<RouteResolution>;
}

/** What an EndpointResolver found for a request. */
export interface EndpointResolution {
  endpoints: ResolvedEndpoint[];
  failures: ResolveFailure[];
  /** The request's account as the resolution read it (null: not found), so the session does not read it again. */
  account?: Account | null;
}

/**
 * How a request runs: its account; when intake already resolved its endpoints, that resolution (not done twice);
 * when the request must wait for originate_execute before ringing (a Kazoo park), the handshake to wait with.
 */
export interface OriginateMeta {
  accountId: string;
  resolved?: EndpointResolution;
  handshake?: ExecuteHandshake;
}
