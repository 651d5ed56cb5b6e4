import { readFileSync } from 'node:fs';
import type { AppContext } from '@legwork/platform';
import {
  ApnsSender, BindingAnnouncements, FcmSender, HttpGatewaySender, PushRequests, PushSenders, PushWaits, PushWake, type FcmServiceAccount, type PushSender, type WokenBinding,
} from '@legwork/originate';
import { parseHostPort, type RelayedBinding, type SipServer } from '@legwork/sip';
import type { MediaNodeConfig } from './media-node.config';
import { SIP_RELAY_INFO, type PushSenderKind } from './media-push.config';

function readFile(variable: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${variable}: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The senders the configuration names; a key that cannot be read or parsed stops the boot, naming its variable. */
export function pushSendersFrom(config: MediaNodeConfig): PushSenders {
  const gateway = config.PUSH_GATEWAY_URL === undefined ? undefined : new HttpGatewaySender({ url: config.PUSH_GATEWAY_URL, attempts: config.PUSH_GATEWAY_ATTEMPTS, ...(config.PUSH_GATEWAY_SECRET !== undefined ? { secret: config.PUSH_GATEWAY_SECRET } : {}) });
  const built = new Map<PushSenderKind, PushSender>();
  const senderOf = (kind: PushSenderKind): PushSender => {
    const known = built.get(kind);
    if (known !== undefined) return known;
    const sender = kind === 'gateway' ? gateway : kind === 'apns' ? apnsFrom(config) : fcmFrom(config);
    if (sender === undefined) throw new Error('PUSH_SENDERS: gateway needs PUSH_GATEWAY_URL');
    built.set(kind, sender);
    return sender;
  };
  const byProvider = new Map([...config.PUSH_SENDERS].map(([provider, kind]) => [provider, senderOf(kind)] as const));
  return new PushSenders(byProvider, gateway);
}

function apnsFrom(c: MediaNodeConfig): PushSender {
  const key = readFile('APNS_KEY_FILE', c.APNS_KEY_FILE ?? '');
  try {
    return new ApnsSender({ key, keyId: c.APNS_KEY_ID ?? '', teamId: c.APNS_TEAM_ID ?? '', bundleId: c.APNS_BUNDLE_ID ?? '', ...(c.APNS_URL !== undefined ? { url: c.APNS_URL } : {}) });
  } catch (err) {
    throw new Error(`APNS_KEY_FILE: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function fcmFrom(c: MediaNodeConfig): PushSender {
  const text = readFile('FCM_SERVICE_ACCOUNT_FILE', c.FCM_SERVICE_ACCOUNT_FILE ?? '');
  try {
    const account = JSON.parse(text) as Partial<FcmServiceAccount>;
    if (typeof account.client_email !== 'string' || typeof account.private_key !== 'string' || typeof account.project_id !== 'string') throw new Error('needs client_email, private_key and project_id');
    return new FcmSender({ serviceAccount: account as FcmServiceAccount, ...(c.FCM_TOKEN_URL !== undefined ? { tokenUrl: c.FCM_TOKEN_URL } : {}), ...(c.FCM_URL !== undefined ? { url: c.FCM_URL } : {}) });
  } catch (err) {
    throw new Error(`FCM_SERVICE_ACCOUNT_FILE: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** RFC 8599 wake-up on this node: senders, the parked legs, and the binding announcements that wake them. */
export class MediaPushService {
  readonly waits = new PushWaits();
  readonly senders: PushSenders;
  private announcements: BindingAnnouncements | undefined;
  private requests: PushRequests | undefined;
  private wakeService: PushWake | undefined;

  constructor(private readonly ctx: AppContext<MediaNodeConfig>) {
    this.senders = pushSendersFrom(ctx.config);
  }

  /** The ring path's wake-up, once start() ran. */
  get wake(): PushWake | undefined {
    return this.wakeService;
  }

  /** Announces every REGISTER this node answers and listens to every node's. */
  async start(sip: SipServer, app: { name: string; version: string }): Promise<void> {
    const { config, infra, logger } = this.ctx;
    const announcements = new BindingAnnouncements({ bus: infra.bus, waits: this.waits, nodeId: config.NODE_ID, appName: app.name, appVersion: app.version, logger });
    await announcements.start();
    sip.onRegistered((r) => void announcements.announce(r.aor, r.bindings, r.accountId));
    this.announcements = announcements;
    this.wakeService = new PushWake({
      senders: this.senders, waits: this.waits, timeoutMs: config.PUSH_WAKE_TIMEOUT_SECONDS * 1000, logger,
      reach: async (binding, callId) => (await sip.contactsFor(binding.aor)).find((b) => b.contact.uri === binding.contact) ?? (await this.relayed(sip, binding, callId)),
    });
    // push-call APIs (X-on) ask through the bus: pushes for the legs parked here, or for another SIP proxy's calls
    this.requests = new PushRequests({ bus: infra.bus, wake: this.wakeService, nodeId: config.NODE_ID, appName: app.name, appVersion: app.version, logger });
    await this.requests.start();
  }

  /** A binding on a TCP/WS connection another live node holds: reached through that node, which relays over it. */
  private async relayed(sip: SipServer, binding: WokenBinding, callId: string): Promise<RelayedBinding | undefined> {
    const { calls } = this.ctx.infra;
    const contact = (await calls.registrations.list(binding.aor)).find((c) => c.uri === binding.contact && c.nodeId === binding.ownerNode);
    const owner = (await calls.nodes.liveNodes()).find((n) => n.nodeId === binding.ownerNode);
    const relay = parseHostPort(owner?.info[SIP_RELAY_INFO]);
    return contact === undefined || relay === undefined ? undefined : sip.relayTo(contact, relay, callId);
  }

  async stop(): Promise<void> {
    await this.requests?.stop();
    await this.announcements?.stop();
    await this.senders.close();
  }
}
