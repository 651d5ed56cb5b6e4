import type { Bus, Consumer } from '@legwork/bus';
import type { Contact } from '@legwork/call-state';
import { type Logger, silentLogger } from '@legwork/common';
import { BINDING_REGISTERED_ALL, EXCHANGES, bindingRegistered, buildMessage, envelope, type BindingRegistered, type MessageBody } from '@legwork/contracts';
import type { PushWaits, WokenBinding } from './push-waits';

export interface BindingAnnouncementsOptions {
  bus: Bus;
  waits: PushWaits;
  nodeId: string;
  appName: string;
  appVersion: string;
  logger?: Logger;
}

/** The announcement of one binding a REGISTER wrote here. */
export function bindingMessageBody(aor: string, contact: Contact, accountId?: string): Record<string, unknown> {
  const at = aor.lastIndexOf('@');
  return {
    AOR: aor, Realm: aor.slice(at + 1), Username: aor.slice(0, at), ...(accountId !== undefined ? { 'Account-ID': accountId } : {}),
    Contact: contact.uri, Transport: contact.transport, 'Owner-Node': contact.nodeId, 'Expires-At': contact.expiresAt,
    ...(contact.flowToken !== undefined ? { 'Flow-Token': contact.flowToken } : {}),
    ...(contact.pushProvider !== undefined ? { 'Push-Provider': contact.pushProvider } : {}),
    ...(contact.pushPrid !== undefined ? { 'Push-PRID': contact.pushPrid } : {}),
    ...(contact.pushParam !== undefined ? { 'Push-Param': contact.pushParam } : {}),
  };
}

function woken(msg: Pick<BindingRegistered, 'AOR' | 'Contact' | 'Transport' | 'Owner-Node' | 'Push-Provider' | 'Push-PRID' | 'Push-Param'>): WokenBinding | undefined {
  const provider = msg['Push-Provider'];
  const prid = msg['Push-PRID'];
  if (provider === undefined || prid === undefined) return undefined;
  return { aor: msg.AOR, contact: msg.Contact, transport: msg.Transport, ownerNode: msg['Owner-Node'], push: { provider, prid, ...(msg['Push-Param'] !== undefined ? { param: msg['Push-Param'] } : {}) } };
}

/**
 * New bindings on the bus (`binding_registered` on callevt): every REGISTER this node answers is announced, and every
 * node's announcements wake the legs parked here for that device, wherever the REGISTER landed.
 */
export class BindingAnnouncements {
  private readonly logger: Logger;
  private consumer: Consumer | undefined;

  constructor(private readonly opts: BindingAnnouncementsOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  /** Own queue of this node (goes with it), bound to every realm's announcements. */
  async start(): Promise<void> {
    const { bus, nodeId } = this.opts;
    const queue = await bus.declareQueue(`legwork.registrations.${nodeId}`, { durable: false, autoDelete: true, bindings: [{ exchange: EXCHANGES.callevt.name, routingKey: BINDING_REGISTERED_ALL }] });
    this.consumer = await bus.consume(queue, bindingRegistered.schema, async (msg) => this.wake(msg));
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.cancel();
  }

  /** Wakes local waiters at once (no bus round trip for a REGISTER on this node), then tells the other nodes. */
  async announce(aor: string, bindings: Contact[], accountId?: string): Promise<void> {
    for (const contact of bindings) {
      const body = bindingMessageBody(aor, contact, accountId);
      const msg = buildMessage(bindingRegistered, body as MessageBody<typeof bindingRegistered>, envelope(this.opts.appName, this.opts.appVersion, this.opts.nodeId));
      this.wake(msg);
      try {
        // a fact: no node listening is fine
        await this.opts.bus.publish(bindingRegistered.exchange, bindingRegistered.routingKey(msg), msg, { mandatory: false, persistent: false });
      } catch (err) {
        this.logger.warn({ err, aor }, 'binding_registered not published');
      }
    }
  }

  private wake(msg: Parameters<typeof woken>[0]): void {
    const binding = woken(msg);
    if (binding === undefined) return;
    const calls = this.opts.waits.wake(binding);
    if (calls.length > 0) this.logger.info({ aor: binding.aor, node: binding.ownerNode, calls }, 'push wake-up: device registered');
  }
}
