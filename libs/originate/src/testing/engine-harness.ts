import { type Bus, createBus } from '@legwork/bus';
import { type CallStore, createCallStore } from '@legwork/call-state';
import { type Logger, newId, silentLogger } from '@legwork/common';
import { type OriginateRequest, buildMessage, envelope, originateRequest, type MessageBody } from '@legwork/contracts';
import { type Directory, createDirectory } from '@legwork/directory';
import { SipStack, createTransportLayer, type SipProtocol, type SipRequest, type SipStackOptions, type SipTimers, type SipTransportLayer } from '@legwork/sip';
import { z } from 'zod';
import { OriginateEngine } from '../engine/originate.engine';
import type { EndpointResolver, ResolvedEndpoint, RouteResolution, RouteTarget } from '../engine/originate.types';
import type { RtpengineClient } from '../media/media.types';
import type { RecorderOptions } from '../recording/call-recorder';
import { TEST_SIP_TIMERS, type TestPhone, recording } from './test-phone';

export type BusRecord = Record<string, unknown>;

/** Resolves `To-Username` to a TestPhone by name and every route to the given carrier. */
export class FixedResolver implements EndpointResolver {
  readonly phones = new Map<string, TestPhone>();
  /** Any gateway: a TestPhone or, through carrierAt(), a sipp carrier. */
  carrier: Pick<TestPhone, 'uri' | 'target'> | undefined;
  /** Handed to the engine with every carrier route (the carrier may challenge). */
  carrierCredentials: RouteTarget['credentials'];

  async resolve(req: OriginateRequest): Promise<{ endpoints: ResolvedEndpoint[]; failures: Array<{ index: number; endpoint: OriginateRequest['Endpoints'][number]; cause: string; reason: string }> }> {
    const endpoints: ResolvedEndpoint[] = [];
    const failures: Array<{ index: number; endpoint: OriginateRequest['Endpoints'][number]; cause: string; reason: string }> = [];
    req.Endpoints.forEach((endpoint, index) => {
      const user = endpoint['To-Username'] ?? endpoint['To-User'] ?? '';
      const phone = this.phones.get(user);
      if (phone === undefined) {
        failures.push({ index, endpoint, cause: 'DESTINATION_OUT_OF_ORDER', reason: `${user} is not registered` });
        return;
      }
      endpoints.push({
        index, endpoint, callId: endpoint['Outbound-Call-ID'] ?? (req.Endpoints.length === 1 ? req['Outbound-Call-ID'] : undefined) ?? newId(),
        requestUri: phone.uri(user), target: phone.target, headers: [], autoAnswer: endpoint['Auto-Answer'] === true,
        callerId: { name: `Device ${user}`, number: `1${user}` },
        ...(endpoint['Endpoint-Timeout'] !== undefined ? { timeoutSeconds: endpoint['Endpoint-Timeout'] } : {}),
      });
    });
    return { endpoints, failures };
  }

  async resolveRoute(route: string): Promise<RouteResolution> {
    if (this.carrier === undefined) return { targets: [], failure: { cause: 'NO_ROUTE_DESTINATION', reason: 'no carrier' } };
    const credentials = this.carrierCredentials;
    return { targets: [{ kind: 'carrier', requestUri: this.carrier.uri(route), target: this.carrier.target, headers: [], ...(credentials !== undefined ? { credentials } : {}) }] };
  }
}

export interface HarnessOptions {
  rtpengine?: RtpengineClient;
  /** Call recording of Media: process calls (needs rtpengine). */
  recording?: RecorderOptions;
  logger?: Logger;
  /** Listen on TCP as well as UDP. */
  tcp?: boolean;
  /** The stack's RFC 4028 settings (tests may go under the 90 s floor). */
  sessionTimer?: SipStackOptions['sessionTimer'];
  maxCallDurationSeconds?: number;
  /** SIP timers of the engine's stack (default: the shrunk test timers). */
  timers?: Partial<SipTimers>;
}

/** A carrier gateway on 127.0.0.1 UDP (a sipp one), in the shape FixedResolver routes to. */
export function carrierAt(port: number): Pick<TestPhone, 'uri' | 'target'> {
  return { uri: (user) => `sip:${user}@127.0.0.1:${port}`, target: { protocol: 'udp', host: '127.0.0.1', port } };
}

/** An engine on in-process bus/store/directory and a real UDP SIP stack, with every event and reply recorded. */
export class EngineHarness {
  readonly events: BusRecord[] = [];
  readonly replies: BusRecord[] = [];
  readonly resolver = new FixedResolver();
  readonly nodeId = `node-${newId().slice(0, 8)}`;
  readonly replyQueue = `replies-${newId().slice(0, 8)}`;
  /** Every SIP request the engine's stack received, and the transport each came over. */
  readonly requests: SipRequest[] = [];
  readonly arrivedOver = new WeakMap<SipRequest, SipProtocol>();
  accountId = '';

  private constructor(
    readonly bus: Bus,
    readonly store: CallStore,
    readonly directory: Directory,
    readonly sip: SipStack,
    private readonly transport: SipTransportLayer,
    readonly engine: OriginateEngine,
  ) {}

  static async start(limits: { max_concurrent_channels?: number } = {}, opts: HarnessOptions = {}): Promise<EngineHarness> {
    const ns = `t${newId().slice(0, 10)}`;
    const bus = createBus({ appName: 'originate-test', nodeId: 'n1', namespace: ns, logger: silentLogger });
    await bus.start();
    const store = createCallStore();
    const directory = createDirectory();
    const layer = await createTransportLayer({ udp: { host: '127.0.0.1', port: 0 }, ...(opts.tcp === true ? { tcp: { host: '127.0.0.1', port: 0 } } : {}) });
    const seen: SipRequest[] = [];
    const over = new WeakMap<SipRequest, SipProtocol>();
    const transport = recording(layer, seen, over);
    const sip = new SipStack({ transport, timers: { ...TEST_SIP_TIMERS, ...opts.timers }, userAgent: 'legwork', ...(opts.sessionTimer !== undefined ? { sessionTimer: opts.sessionTimer } : {}) });
    const port = layer.listening()[0].port;
    const resolverHolder = new FixedResolver();
    const nodeId = `node-${newId().slice(0, 8)}`;
    const engine = new OriginateEngine({
      bus, calls: store, directory, sip, resolver: resolverHolder, nodeId, appName: 'legwork-test', appVersion: '0.0.1', logger: opts.logger ?? silentLogger,
      sipContact: `<sip:legwork@127.0.0.1:${port}>`, fromDomain: '127.0.0.1', ...(opts.rtpengine !== undefined ? { media: { rtpengine: opts.rtpengine, ...(opts.recording !== undefined ? { recording: opts.recording } : {}) } } : {}),
      ...(opts.maxCallDurationSeconds !== undefined ? { maxCallDurationSeconds: opts.maxCallDurationSeconds } : {}),
    });
    const h = new EngineHarness(bus, store, directory, sip, transport, engine);
    Object.assign(h, { resolver: resolverHolder, nodeId, requests: seen, arrivedOver: over });
    const account = await directory.accounts.create({ name: `acct-${ns}`, realm: `${ns}.example.com`, limits });
    h.accountId = account.id;
    const anyRecord = z.record(z.string(), z.unknown());
    await bus.declareQueue(h.replyQueue, { exclusive: true, bindings: [{ exchange: 'targeted', routingKey: h.replyQueue }] });
    await bus.consume(h.replyQueue, anyRecord, async (msg) => void h.replies.push(msg));
    const evq = await bus.declareQueue('', { exclusive: true, bindings: [{ exchange: 'callevt', routingKey: '#' }] });
    await bus.consume(evq, anyRecord, async (msg) => void h.events.push(msg));
    return h;
  }

  request(body: Partial<MessageBody<typeof originateRequest>>): OriginateRequest {
    return buildMessage(originateRequest, {
      'Application-Name': 'park', Endpoints: [], 'Server-ID': this.replyQueue, 'Account-ID': this.accountId,
      'Custom-Channel-Vars': { 'Account-ID': this.accountId }, ...body,
    } as MessageBody<typeof originateRequest>, envelope('test', '1'));
  }

  eventsOf(callId: string): string[] {
    return this.events.filter((e) => e['Call-ID'] === callId).map((e) => String(e['Event-Name']));
  }

  event(callId: string, name: string): BusRecord | undefined {
    return this.events.find((e) => e['Call-ID'] === callId && e['Event-Name'] === name);
  }

  inUse(): Promise<number> {
    return this.store.limits.inUse(this.accountId);
  }

  async close(): Promise<void> {
    await this.sip.close();
    await this.transport.close();
    await this.bus.close();
    await this.store.close();
    await this.directory.close();
  }
}
