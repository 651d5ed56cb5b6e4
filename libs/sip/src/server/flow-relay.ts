import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Logger, silentLogger } from '@legwork/common';
import { createResponse } from '../message/sip-builders';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { splitList } from '../message/sip-text';
import type { InboundSipMessage, SipSource, SipTarget, SipTransportLayer } from '../transport/transport.types';
import { type RelayRoute, parseRelayRoute, relaySignature } from './relay-route';

export interface FlowRelayOptions {
  transport: SipTransportLayer;
  /** The cluster's shared key (SIP_NONCE_SECRET): only routes a node of the cluster signed are relayed. */
  secret: string;
  holds(flowId: string): boolean;
  logger?: Logger;
}

const BRANCH = 'z9hG4bK-lwr-';

/** Removes the first value of a header (a line may hold a comma list) and returns it. */
function popFirst(message: SipRequest | SipResponse, key: string): string | undefined {
  const list = message.headers.list;
  const at = list.findIndex((h) => h.key === key);
  if (at === -1) return undefined;
  const [first, ...rest] = splitList(list[at].value);
  if (rest.length === 0) list.splice(at, 1);
  else list[at] = { ...list[at], value: rest.join(', ') };
  message.headers.onChange?.();
  return first;
}

/**
 * RFC 5626 §5.3 edge relay, stateless: a request whose top Route is a relay route signed with the cluster key (a node
 * holding a push-woken call INVITEs a device registered over this node's TCP/WS flow) goes out over that flow with our
 * Via and Record-Route, so the dialog keeps passing here; the device's requests on that route go to the signed peer
 * only, and responses retrace our Via. Everything else is left to the UA core.
 */
export class FlowRelay {
  private readonly logger: Logger;

  constructor(private readonly opts: FlowRelayOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  /** True when the message was relayed (or refused) here and is not for the UA core. */
  handle(inbound: InboundSipMessage): boolean {
    const { message } = inbound;
    return message.kind === 'request' ? this.request(message, inbound.source) : this.response(message);
  }

  private request(request: SipRequest, source: SipSource): boolean {
    const routes = request.getRoutes();
    const route = routes.ok && routes.value[0] !== undefined ? parseRelayRoute(routes.value[0].uri) : undefined;
    if (route === undefined || !this.signed(route, request.callId)) return false;
    const fromDevice = source.flowId === route.flowId;
    const hops = request.maxForwards ?? 70;
    if (!fromDevice && !this.opts.holds(route.flowId)) return this.refuse(request, source, 430, 'Flow Failed');
    if (hops <= 0) return this.refuse(request, source, 483, 'Too Many Hops');
    const routeValue = popFirst(request, 'route');
    request.headers.set('Max-Forwards', String(hops - 1));
    if (fromDevice) {
      // back to the node that holds the call, answered over the device's flow again
      this.addVia(request, 'udp', route.flowId);
      this.send(request, { protocol: 'udp', host: route.peer.host, port: route.peer.port });
      return true;
    }
    // the device's requests in this dialog must come back through us, on this same route
    if (request.method === 'INVITE' && request.toTag === undefined && routeValue !== undefined) request.headers.prepend('Record-Route', routeValue);
    this.addVia(request, route.protocol, undefined);
    this.send(request, { protocol: route.protocol, host: '', port: 0, flowId: route.flowId });
    return true;
  }

  /** A response to a request we relayed: our Via comes off, and it goes back over the flow or to the next Via. */
  private response(response: SipResponse): boolean {
    const via = response.via;
    if (via?.branch?.startsWith(BRANCH) !== true || via.host !== this.opts.transport.sentBy('udp').host) return false;
    const vias = response.getVias();
    const flowId = via.params.get('lw-flow') ?? undefined;
    // our branch signs the hop before us and the flow: a response made up to reach a flow is dropped
    const before = vias.ok ? vias.value[1]?.branch : undefined;
    if (before === undefined || via.branch !== this.branch(before, response.cseq?.method ?? '', flowId)) return true;
    popFirst(response, 'via');
    const next = response.via;
    if (flowId !== undefined) this.send(response, { protocol: 'tcp', host: '', port: 0, flowId });
    else if (next !== undefined) this.send(response, { protocol: 'udp', host: next.received ?? next.host, port: typeof next.rport === 'number' ? next.rport : (next.port ?? 5060) });
    return true;
  }

  /** Derived from the previous hop's branch, so a CANCEL or non-2xx ACK gets its INVITE's (RFC 3261 §16.11), and keyed. */
  private branch(previous: string, method: string, flowId: string | undefined): string {
    const kind = method === 'CANCEL' || method === 'ACK' ? 'INVITE' : method;
    return BRANCH + createHmac('sha256', this.opts.secret).update(`${previous}|${kind}|${flowId ?? ''}`).digest('hex').slice(0, 20);
  }

  private addVia(request: SipRequest, protocol: RelayRoute['protocol'] | 'udp', answerOnFlow: string | undefined): void {
    const branch = this.branch(request.via?.branch ?? request.callId ?? '', request.method, answerOnFlow);
    const sentBy = this.opts.transport.sentBy(protocol === 'udp' ? 'udp' : protocol);
    request.headers.prepend('Via', `SIP/2.0/${protocol.toUpperCase()} ${sentBy.host}:${sentBy.port};branch=${branch}${answerOnFlow !== undefined ? `;lw-flow=${answerOnFlow}` : ''}`);
  }

  private signed(route: RelayRoute, callId: string | undefined): boolean {
    if (callId === undefined) return false;
    const want = Buffer.from(relaySignature(this.opts.secret, { ...route, callId }));
    const got = Buffer.from(route.sig);
    return want.length === got.length && timingSafeEqual(want, got);
  }

  private refuse(request: SipRequest, source: SipSource, status: number, reason: string): boolean {
    if (request.method !== 'ACK') void this.opts.transport.sendResponse(createResponse(request, status, reason), source).catch(() => undefined);
    return true;
  }

  private send(message: SipRequest | SipResponse, target: SipTarget): void {
    void this.opts.transport.send(message, target).catch((err: unknown) => this.logger.warn({ err, flowId: target.flowId, callId: message.callId }, 'sip relay: message not delivered'));
  }
}
