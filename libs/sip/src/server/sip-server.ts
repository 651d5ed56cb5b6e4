import type { CallStore, Contact } from '@legwork/call-state';
import { type Logger, silentLogger } from '@legwork/common';
import type { Directory } from '@legwork/directory';
import { Registrar } from '../registrar/registrar';
import type { RegistrarOptions } from '../registrar/registrar.options';
import type { SipTimers } from '../transaction/timers';
import { createTransportLayer, type TransportLayer } from '../transport/transport-layer';
import type { TransportLayerOptions } from '../transport/transport.config';
import type { SipProtocol, SipTarget } from '../transport/transport.types';
import type { IncomingRequest } from '../ua/incoming-request';
import { SipStack, type SipStackOptions } from '../ua/sip-stack';
import { requestUriForBinding, targetForBinding } from './binding-target';
import { FlowBindings } from './flow-bindings';
import { FlowRelay } from './flow-relay';
import { relayRouteHeader } from './relay-route';
import { parseSipServerListen, type SipServerListen, type SipServerListenInput } from './sip-server.config';

export type SipServerRegistrarOptions = Omit<RegistrarOptions, 'directory' | 'calls' | 'nodeId' | 'secret' | 'logger'>;

/** Stream connection limits and deadlines, passed to the transport layer (defaults there). */
export type SipServerConnectionOptions = Partial<
  Pick<TransportLayerOptions, 'maxConnections' | 'maxConnectionsPerSource' | 'firstMessageTimeoutMs' | 'messageTimeoutMs' | 'idleTimeoutMs' | 'unregisteredIdleTimeoutMs'>
>;

export interface SipServerOptions extends SipServerListenInput {
  directory: Directory;
  calls: CallStore;
  /** Stored with each binding: bindings on flows are reachable only through the node holding them. */
  nodeId: string;
  /** Digest nonce HMAC key; every node of a cluster needs the same one. */
  secret: string;
  registrar?: SipServerRegistrarOptions;
  connections?: SipServerConnectionOptions;
  timers?: Partial<SipTimers>;
  /** RFC 4028 session timers of the UA core (see SipStackOptions.sessionTimer); false turns them off. */
  sessionTimer?: SipStackOptions['sessionTimer'];
  logger?: Logger;
}

export interface ReachableBinding {
  contact: Contact;
  target: SipTarget;
  /** The Contact URI made safe to send to (requestUriForBinding): no URI headers, maddr, ttl or method. */
  requestUri: string;
}

/** How this node reaches a binding on another node's TCP/WS flow: through that node, which relays over the flow. */
export interface RelayedBinding {
  target: SipTarget;
  requestUri: string;
  /** The Route the INVITE carries: the relaying node, the flow, and this node as the peer, signed for this call. */
  route: string;
}

/** A REGISTER that succeeded on this node: the AOR and the bindings it wrote (refreshes included, removals not). */
export interface RegisteredBindings {
  aor: string;
  bindings: Contact[];
  accountId?: string;
}

export interface SipListener {
  protocol: SipProtocol;
  address: string;
  port: number;
}

/** The media node's SIP front: transports, UA core and registrar wired together. */
export interface SipServer {
  readonly nodeId: string;
  readonly stack: SipStack;
  readonly registrar: Registrar;
  readonly transport: TransportLayer;
  listening(): SipListener[];
  /** Where a request for this binding goes from this node; undefined when this node cannot reach it. */
  targetForBinding(contact: Contact): SipTarget | undefined;
  /** The AOR's live bindings this node can reach, each with its target and Request-URI. */
  contactsFor(aor: string): Promise<ReachableBinding[]>;
  /**
   * A binding on a stream flow another node holds, reached through that node (`relay`: its UDP address) for the call
   * `callId`; undefined when the binding is not on such a flow.
   */
  relayTo(contact: Contact, relay: { host: string; port: number }, callId: string): RelayedBinding | undefined;
  /** Called after each successful REGISTER that wrote bindings (push wake-up listens here); what it throws is logged. */
  onRegistered(listener: (registered: RegisteredBindings) => void): void;
  close(): Promise<void>;
}

function transportOptions(listen: SipServerListen, connections: SipServerConnectionOptions, logger: Logger): TransportLayerOptions {
  const endpoint = (port: number) => ({ host: listen.host, port, ...(listen.advertisedHost !== undefined ? { advertisedHost: listen.advertisedHost } : {}) });
  return {
    logger,
    ...connections,
    ...(listen.udpPort !== undefined ? { udp: endpoint(listen.udpPort) } : {}),
    ...(listen.tcpPort !== undefined ? { tcp: endpoint(listen.tcpPort) } : {}),
    ...(listen.wsPort !== undefined ? { ws: { ...endpoint(listen.wsPort), path: listen.wsPath } } : {}),
  };
}

/** What the registrar implements (RFC 5626, RFC 3327), on top of the core's option-tags. */
const REGISTRAR_EXTENSIONS = ['outbound', 'path'];

function withRegistrarSupport(headers: Array<[string, string]>): Array<[string, string]> {
  const core = headers.find(([name]) => name === 'Supported')?.[1];
  return [...headers.filter(([name]) => name !== 'Supported'), ['Supported', [core, ...REGISTRAR_EXTENSIONS].filter((t) => t !== undefined && t !== '').join(', ')]];
}

/** Validates everything before binding a port; rejects with SipServerError, RegistrarError or SipTransportError. */
export async function createSipServer(options: SipServerOptions): Promise<SipServer> {
  const listen = parseSipServerListen(options);
  const logger = options.logger ?? silentLogger;
  const { directory, calls, nodeId, secret } = options;
  const registrar = new Registrar({ ...options.registrar, directory, calls, nodeId, secret, logger });
  const transport = await createTransportLayer(transportOptions(listen, options.connections ?? {}, logger));
  const flows = new FlowBindings(calls, logger);
  const relay = new FlowRelay({ transport, secret, holds: (flowId) => flows.holds(flowId), logger });
  const stack = new SipStack({
    transport, userAgent: listen.userAgent, timers: options.timers, sessionTimer: options.sessionTimer, logger, extensions: { REGISTER: REGISTRAR_EXTENSIONS },
    relay: (inbound) => relay.handle(inbound),
  });
  const registeredListeners: Array<(registered: RegisteredBindings) => void> = [];

  stack.onRequest('REGISTER', async (incoming: IncomingRequest) => {
    const reply = await registrar.handle(incoming.request, incoming.source);
    const flowId = incoming.source.flowId;
    if (reply.status === 200 && flowId !== undefined && reply.aor !== undefined && reply.bindings !== undefined) {
      flows.track(flowId, reply.aor, reply.bindings);
      // a flow that carries a registration keeps the long idle limit; one whose last binding left gets the short one
      transport.markFlowRegistered(flowId, flows.holds(flowId));
    }
    await incoming.reply(reply.status, { reason: reply.reason, headers: reply.headers, toTag: reply.toTag });
    if (reply.status === 200 && reply.aor !== undefined && reply.bindings !== undefined) announce({ aor: reply.aor, bindings: writtenBy(incoming, reply.bindings), ...(reply.accountId !== undefined ? { accountId: reply.accountId } : {}) });
  });
  const announce = (registered: RegisteredBindings): void => {
    if (registered.bindings.length === 0) return;
    for (const listener of registeredListeners) {
      try {
        listener(registered);
      } catch (err) {
        logger.error({ err, aor: registered.aor }, 'sip server: registration listener failed');
      }
    }
  };
  // keepalive pings and capability queries; Allow names REGISTER since the registrar is mounted
  stack.onRequest('OPTIONS', (incoming: IncomingRequest) => incoming.reply(200, { headers: withRegistrarSupport(stack.optionsHeaders()) }));
  transport.onFlowClosed((flowId) => {
    void flows.flowClosed(flowId).then((removed) => {
      if (removed > 0) logger.info({ flowId, removed }, 'sip server: bindings of a closed flow removed');
    });
  });

  const here = { nodeId, holds: (flowId: string) => flows.holds(flowId) };
  let closing: Promise<void> | undefined;
  return {
    nodeId,
    stack,
    registrar,
    transport,
    listening: () => transport.listening(),
    targetForBinding: (contact) => targetForBinding(contact, here),
    async contactsFor(aor) {
      const contacts = await calls.registrations.list(aor);
      return contacts.flatMap((contact) => {
        const target = targetForBinding(contact, here);
        const requestUri = requestUriForBinding(contact.uri);
        return target === undefined || requestUri === undefined ? [] : [{ contact, target, requestUri }];
      });
    },
    relayTo(contact, at, callId) {
      const requestUri = requestUriForBinding(contact.uri);
      const flowId = contact.flowToken;
      if (requestUri === undefined || flowId === undefined || contact.nodeId === nodeId || contact.transport === 'udp') return undefined;
      const peer = transport.sentBy('udp');
      return { target: { protocol: 'udp', host: at.host, port: at.port }, requestUri, route: relayRouteHeader(secret, at, { flowId, protocol: contact.transport, peer, callId }) };
    },
    onRegistered(listener) {
      registeredListeners.push(listener);
    },
    close() {
      closing ??= stack.close().finally(() => transport.close());
      return closing;
    },
  };
}

/** The bindings this very REGISTER wrote: same Call-ID and CSeq (a fetch or a removal writes none). */
function writtenBy(incoming: IncomingRequest, bindings: Contact[]): Contact[] {
  const callId = incoming.request.callId;
  const cseq = incoming.request.cseq?.seq;
  return bindings.filter((b) => b.callId === callId && b.cseq === cseq);
}
