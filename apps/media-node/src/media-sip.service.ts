import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { AppContext } from '@legwork/platform';
import { createSipServer, type SipListener, type SipServer, type TransportStats } from '@legwork/sip';
import type { MediaNodeConfig } from './media-node.config';
import { pushProvidersOf } from './media-push.config';

/** Owns the SIP server's lifecycle inside the Nest app; all SIP logic lives in @legwork/sip. */
export class MediaSipService implements OnModuleInit, OnModuleDestroy {
  private server: SipServer | undefined;
  private closed = false;
  private expected = 0;

  constructor(private readonly ctx: AppContext<MediaNodeConfig>) {}

  /** The running server; throws before start and after close. */
  get sip(): SipServer {
    if (this.server === undefined || this.closed) throw new Error('SIP server is not running');
    return this.server;
  }

  async onModuleInit(): Promise<void> {
    const { config, infra, logger } = this.ctx;
    this.server = await createSipServer({
      host: config.HOST,
      advertisedHost: config.SIP_ADVERTISED_HOST,
      udpPort: config.SIP_UDP_PORT,
      tcpPort: config.SIP_TCP_PORT,
      wsPort: config.SIP_WS_PORT,
      directory: infra.directory,
      calls: infra.calls,
      nodeId: config.NODE_ID,
      secret: config.SIP_NONCE_SECRET,
      registrar: { algorithms: config.SIP_DIGEST_ALGORITHMS, maxContacts: config.SIP_MAX_CONTACTS_PER_AOR, pushProviders: pushProvidersOf(config) },
      connections: {
        maxConnections: config.SIP_MAX_CONNECTIONS,
        maxConnectionsPerSource: config.SIP_MAX_CONNECTIONS_PER_SOURCE,
        firstMessageTimeoutMs: config.SIP_FIRST_MESSAGE_TIMEOUT_MS,
        messageTimeoutMs: config.SIP_MESSAGE_TIMEOUT_MS,
        idleTimeoutMs: config.SIP_IDLE_TIMEOUT_MS,
        unregisteredIdleTimeoutMs: config.SIP_UNREGISTERED_IDLE_TIMEOUT_MS,
      },
      sessionTimer: config.SIP_SESSION_EXPIRES === 0 ? false : { expires: config.SIP_SESSION_EXPIRES, minSE: config.SIP_MIN_SE },
      logger,
    });
    this.expected = this.server.listening().length;
    logger.info({ sip: this.server.listening().map(formatListener) }, 'sip listening');
  }

  /** Transport counters for /metrics; undefined while SIP is not running. */
  transportStats(): TransportStats | undefined {
    return this.server === undefined || this.closed ? undefined : this.server.transport.stats();
  }

  flowCount(): number | undefined {
    return this.server === undefined || this.closed ? undefined : this.server.transport.flowCount();
  }

  /** Health: every configured transport still listening. */
  async check(): Promise<void> {
    const listening = this.sip.listening();
    if (listening.length < this.expected) throw new Error(`SIP transports listening: ${listening.map(formatListener).join(', ') || 'none'}`);
  }

  /** The UDP host:port other nodes reach this one at (Via sent-by: the advertised host), for relayed requests. */
  relayAddress(): string | undefined {
    if (!this.sip.listening().some((l) => l.protocol === 'udp')) return undefined;
    const { host, port } = this.sip.transport.sentBy('udp');
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  }

  /** e.g. `udp:127.0.0.1:5060 tcp:127.0.0.1:5060 ws:127.0.0.1:5066` for logs and the node registry. */
  describe(): string {
    return this.sip.listening().map(formatListener).join(' ');
  }

  async onModuleDestroy(): Promise<void> {
    if (this.server === undefined || this.closed) return;
    this.closed = true;
    await this.server.close();
    this.ctx.logger.info('sip stopped');
  }
}

function formatListener(l: SipListener): string {
  return `${l.protocol}:${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}`;
}
