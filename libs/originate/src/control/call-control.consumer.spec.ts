import { waitFor } from '@legwork/common/testing';
import { DEAD_LETTER_HEADERS, DEAD_LETTER_QUEUE } from '@legwork/bus';
import { silentLogger } from '@legwork/common';
import { buildMessage, callCommand, envelope, routeFor, type MessageBody } from '@legwork/contracts';
import { z } from 'zod';
import { type InfraKind, type ScratchInfra, scratchInfra } from '../testing/scratch-infra';
import { defaultCommandRegistry } from './command.registry';
import { notSupportedCommand } from './not-supported.command';
import { CallControlConsumer, type CallController, type CommandResult } from './call-control.consumer';

// every command of the plane runs on a media node now: a node built without retrieve stands for one that cannot run it
const WITHOUT_RETRIEVE = defaultCommandRegistry({ retrieve: notSupportedCommand('retrieve') });

class FakeController implements CallController {
  readonly hangups: Array<[string, string | undefined]> = [];
  constructor(readonly controlQueue: string, private readonly live: Set<string>) {}
  async hangup(callId: string, cause?: string): Promise<boolean> {
    this.hangups.push([callId, cause]);
    return this.live.delete(callId);
  }
}

function controlContract(kind: InfraKind): void {
  describe(`CallControlConsumer on ${kind}`, () => {
    let infra: ScratchInfra;
    let control: CallControlConsumer;
    let engine: FakeController;
    const results: CommandResult[] = [];
    const dead: Array<{ body: Record<string, unknown>; reason: unknown }> = [];

    const send = async (body: Partial<MessageBody<typeof callCommand>>): Promise<void> => {
      const msg = buildMessage(callCommand, body as MessageBody<typeof callCommand>, envelope('kazoo-tool', '4.3'));
      const { exchange, routingKey } = routeFor(callCommand, msg, engine.controlQueue);
      await infra.bus.publish(exchange, routingKey, msg);
    };

    beforeEach(async () => {
      infra = await scratchInfra(kind);
      results.length = 0;
      dead.length = 0;
      engine = new FakeController(`callctl.n-${Math.random().toString(16).slice(2, 8)}`, new Set(['live-1']));
      control = new CallControlConsumer({ registry: WITHOUT_RETRIEVE, bus: infra.bus, engine, logger: silentLogger, appName: 'media-test', appVersion: '1' });
      control.onCommand((r) => results.push(r));
      await control.start();
      await infra.bus.consume(DEAD_LETTER_QUEUE, z.record(z.string(), z.unknown()), async (body, ctx) => void dead.push({ body, reason: ctx.headers[DEAD_LETTER_HEADERS.reason] }));
    });
    afterEach(async () => {
      await control.stop();
      await infra.close();
    });

    it('hangs up a live call with the given cause, and shrugs at a call that is not here', async () => {
      await send({ 'Application-Name': 'hangup', 'Call-ID': 'live-1', 'Hangup-Cause': 'ALLOTTED_TIMEOUT' });
      await send({ 'Application-Name': 'hangup', 'Call-ID': 'unknown-9' });
      await waitFor(() => results.length === 2);
      expect(engine.hangups).toEqual([['live-1', 'ALLOTTED_TIMEOUT'], ['unknown-9', 'NORMAL_CLEARING']]);
      expect(results.map((r) => r.handled)).toEqual([true, false]);
      expect(dead).toEqual([]);
    });

    it('dead-letters commands not supported yet and invalid ones, with the reason', async () => {
      await send({ 'Application-Name': 'retrieve', 'Call-ID': 'live-1' });
      await infra.bus.publish('callctl', engine.controlQueue, { 'Event-Category': 'call', 'Event-Name': 'command', 'App-Name': 'x', 'App-Version': '1', 'Msg-ID': 'm1', 'Application-Name': 'explode', 'Call-ID': 'live-1' });
      await waitFor(() => dead.length === 2);
      expect(String(dead[0].reason)).toContain('call command retrieve is not supported yet');
      expect(String(dead[1].reason)).toContain('Application-Name');
      expect(engine.hangups).toEqual([]);
    });
  });
}

controlContract('in-process');
controlContract('rabbitmq+redis');
