import type { AppContext } from '@legwork/platform';
import {
  CallControlConsumer, InboundCalls, NodeSweeper, OriginateEngine, OriginateExecuteGate, OriginateIntake, contactsFromSipServer, createEndpointResolver,
  createRtpengineClient, parseRtpengineAddress, type RtpengineClient,
} from '@legwork/originate';
import { DigestAuthenticator, type SipServer } from '@legwork/sip';
import type { MediaNodeConfig } from './media-node.config';
import { MediaPushService } from './media-push.service';
import { APP_NAME, APP_VERSION } from './app.identity';

/** Waits for `work` at most `ms`; shutdown must not hang on a stuck originate. */
async function withinMs(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Our SIP identity for the engine, e.g. `<sip:legwork@127.0.0.1:5060>`: its user and host (advertised when set); each INVITE's Contact takes the transport of its own flow. */
export function sipContactOf(sip: SipServer, advertisedHost?: string): string {
  const udp = sip.listening().find((l) => l.protocol === 'udp') ?? sip.listening()[0];
  if (udp === undefined) throw new Error('SIP is not listening: no Contact for the originate engine');
  const host = advertisedHost ?? udp.address;
  return `<sip:legwork@${host.includes(':') ? `[${host}]` : host}:${udp.port}${udp.protocol === 'udp' ? '' : `;transport=${udp.protocol}`}>`;
}

/** Builds the originate engine and its bus consumers over the running SIP server; the logic lives in @legwork/originate. */
export class MediaOriginateService {
  private parts: { engine: OriginateEngine; intake: OriginateIntake; control: CallControlConsumer; gate: OriginateExecuteGate; sweeper: NodeSweeper; push: MediaPushService; rtpengine?: RtpengineClient } | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly ctx: AppContext<MediaNodeConfig>) {}

  /** True once started with an rtpengine to anchor RTP on (Media: process is served here). */
  get canProcessMedia(): boolean {
    return this.parts?.rtpengine !== undefined;
  }

  get engine(): OriginateEngine {
    if (this.parts === undefined) throw new Error('originate engine is not running');
    return this.parts.engine;
  }

  /** Starts after SIP is up: engine, then control and sweeper, then intake (work arrives last). */
  async start(sip: SipServer): Promise<void> {
    const { config, infra, logger } = this.ctx;
    const { bus, calls, directory } = infra;
    const nodeId = config.NODE_ID;
    const ng = parseRtpengineAddress(config.RTPENGINE_NG);
    const rtpengine = ng !== undefined ? createRtpengineClient({ ...ng, logger }) : undefined;
    const resolver = createEndpointResolver({ directory, calls, contactsFor: contactsFromSipServer(sip), logger });
    const push = new MediaPushService(this.ctx);
    await push.start(sip, { name: APP_NAME, version: APP_VERSION });
    const engine = new OriginateEngine({
      bus, calls, directory, sip: sip.stack, resolver, nodeId, appName: APP_NAME, appVersion: APP_VERSION, logger,
      sipContact: sipContactOf(sip, config.SIP_ADVERTISED_HOST), ...(rtpengine !== undefined ? { media: { rtpengine, ...(config.HOLD_MUSIC_FILE !== undefined ? { holdMusicFile: config.HOLD_MUSIC_FILE } : {}), ...(config.RECORDING_DIR !== undefined ? { recording: { dir: config.RECORDING_DIR, listenAddress: config.RECORDING_LISTEN_HOST } } : {}) } } : {}),
      maxCallDurationSeconds: config.MAX_CALL_DURATION_SECONDS, ...(push.wake !== undefined ? { pushWake: push.wake } : {}),
    });
    const control = new CallControlConsumer({ bus, engine, logger, calls, nodeId, appName: APP_NAME, appVersion: APP_VERSION });
    const sweeper = new NodeSweeper({ calls, notifier: engine.notifier, nodeId, logger, intervalMs: config.SWEEP_INTERVAL_MS });
    // where Kazoo-style parks wait for originate_execute
    const gate = new OriginateExecuteGate({ bus, nodeId, logger });
    const intake = new OriginateIntake({
      bus, engine, calls, notifier: engine.notifier, nodeId, appName: APP_NAME, appVersion: APP_VERSION, logger, resolver, maxInFlight: config.ORIGINATE_MAX_INFLIGHT,
      accounts: directory.accounts, handshake: gate,
    });
    // calls from carriers to DIDs; the digest settings are the registrar's (same secret on every node)
    const digest = new DigestAuthenticator({ secret: config.SIP_NONCE_SECRET, algorithms: config.SIP_DIGEST_ALGORITHMS });
    const inbound = new InboundCalls({ engine, directory, digest, nonces: calls.nonces, imrns: calls.imrns, logger, appName: APP_NAME, appVersion: APP_VERSION });
    sip.stack.onRequest('INVITE', (invite) => inbound.handle(invite));
    this.parts = { engine, intake, control, gate, sweeper, push, ...(rtpengine !== undefined ? { rtpengine } : {}) };
    await control.start();
    await gate.start();
    sweeper.start();
    await intake.start();
    logger.info(
      { media: ng !== undefined ? `process available (rtpengine ${config.RTPENGINE_NG ?? ''}); bypass by default` : 'media bypass by default; no rtpengine configured, Media: process requests fail', controlQueue: engine.controlQueue },
      'originate engine started',
    );
  }

  /** Graceful: no new work, live calls finish (bounded by DRAIN_TIMEOUT_MS) or are hung up, then consumers stop. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    const parts = this.parts;
    if (parts === undefined) return;
    const { logger, config } = this.ctx;
    const step = async (name: string, fn: () => Promise<void>): Promise<void> => {
      await fn().catch((err: unknown) => logger.error({ err }, `originate shutdown: ${name} failed`));
    };
    await step('intake stop', () => parts.intake.stop());
    // parks still waiting for originate_execute get their error now instead of ringing into the shutdown
    await step('execute gate stop', () => parts.gate.stop());
    logger.info({ live: parts.engine.liveCallIds().length, timeoutMs: config.DRAIN_TIMEOUT_MS }, 'draining calls');
    await step('drain', () => parts.engine.drain(config.DRAIN_TIMEOUT_MS));
    await step('intake settle', () => withinMs(parts.intake.settled(), config.DRAIN_TIMEOUT_MS));
    await step('control stop', () => parts.control.stop());
    await step('sweeper stop', () => parts.sweeper.stop());
    await step('push stop', () => parts.push.stop());
    if (parts.rtpengine !== undefined) await step('rtpengine close', () => parts.rtpengine?.close() ?? Promise.resolve());
    logger.info('originate engine stopped');
  }
}
