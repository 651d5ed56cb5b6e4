import { waitFor } from '@legwork/common/testing';
import { silentLogger } from '@legwork/common';
import { buildMessage, callCommand, envelope, routeFor, type MessageBody } from '@legwork/contracts';
import { CallControlConsumer } from '../control/call-control.consumer';
import type { BusRecord, EngineHarness } from './engine-harness';
import type { TestPhone } from './test-phone';

/** An endpoint for FixedResolver, owned by a user (reconnect releases that user's other calls). */
export const ep = (user: string, id: string, owner = 'user-1') => ({ 'Invite-Format': 'username' as const, 'To-Username': user, 'To-Realm': 'example.com', 'Outbound-Call-ID': id, 'Custom-Channel-Vars': { 'Owner-ID': owner } });

/** The engine with its control consumer; commands go over the harness bus and their results come back to it. */
export class Controlled {
  private control!: CallControlConsumer;
  constructor(readonly h: EngineHarness) {}

  async start(): Promise<this> {
    this.control = new CallControlConsumer({ bus: this.h.bus, engine: this.h.engine, logger: silentLogger, calls: this.h.store, nodeId: this.h.nodeId, appName: 'control-test', appVersion: '1' });
    await this.control.start();
    return this;
  }

  async command(body: Partial<MessageBody<typeof callCommand>>): Promise<BusRecord> {
    const msg = buildMessage(callCommand, { 'Server-ID': this.h.replyQueue, ...body } as MessageBody<typeof callCommand>, envelope('test', '1'));
    const { exchange, routingKey } = routeFor(callCommand, msg, this.h.engine.controlQueue);
    await this.h.bus.publish(exchange, routingKey, msg);
    const reply = (): BusRecord | undefined => this.h.replies.find((r) => r['Msg-ID'] === msg['Msg-ID'] && r['Event-Name'] === 'command_result');
    await waitFor(() => reply() !== undefined, { timeoutMs: 10_000, message: `result of ${String(body['Application-Name'])}` });
    return reply() ?? {};
  }

  stop(): Promise<void> {
    return this.control.stop();
  }
}

/** A transfer device → carrier, both answered and bridged; resolves with the two leg ids. */
export async function bridged(h: EngineHarness, device: TestPhone, carrier: TestPhone, aId: string, media: 'bypass' | 'process' = 'bypass', owner = 'user-1'): Promise<{ a: string; b: string }> {
  h.resolver.phones.set(aId, device);
  h.resolver.carrier = carrier;
  const outcome = await h.engine.originate(h.request({ 'Application-Name': 'transfer', 'Application-Data': { Route: '+15550001111' }, Media: media, Endpoints: [ep(aId, aId, owner)] }), { accountId: h.accountId });
  if (!outcome.ok) throw new Error(outcome.cause);
  let b = '';
  await waitFor(() => {
    b = String(h.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === aId)?.['Call-ID'] ?? '');
    return b !== '' && h.eventsOf(aId).includes('CHANNEL_BRIDGE');
  }, { timeoutMs: 10_000 });
  return { a: aId, b };
}
