import { waitFor } from '@legwork/common/testing';
import { DEAD_LETTER_QUEUE } from '@legwork/bus';
import type { LegState } from '@legwork/call-state';
import { silentLogger } from '@legwork/common';
import { buildMessage, callCommand, envelope, routeFor, type MessageBody } from '@legwork/contracts';
import { z } from 'zod';
import type { CallState } from '../call/call';
import { CallControlError } from '../call/call-control.errors';
import { FORWARDED_BY_HEADER } from '../intake/originate.intake';
import { type InfraKind, type ScratchInfra, scratchInfra } from '../testing/scratch-infra';
import { defaultCommandRegistry } from './command.registry';
import { notSupportedCommand } from './not-supported.command';
import { CallControlConsumer } from './call-control.consumer';
import type { CallController, ControlledCall } from './command.types';

// every command of the plane runs on a media node now: a node built without retrieve stands for one that cannot run it
const WITHOUT_RETRIEVE = defaultCommandRegistry({ retrieve: notSupportedCommand('retrieve') });

type Rec = Record<string, unknown>;

/** Legs by id with the state the test gives them; hangup marks the leg as ending. */
class FakeCalls implements CallController {
  readonly hangups: string[] = [];
  readonly legs = new Map<string, LegState>();
  constructor(readonly controlQueue: string) {}
  findCall(callId: string): ControlledCall | undefined {
    const state = this.legs.get(callId);
    if (state === undefined) return undefined;
    const refuse = async (): Promise<string> => Promise.reject(new CallControlError('invalid_state', 'not in this fake', state));
    return { state: (): CallState => 'answered', legState: () => state, control: { hold: refuse, unhold: refuse, retrieve: refuse, blindTransfer: refuse, pull: refuse, record: refuse, recordingState: 'idle' } };
  }
  async hangup(callId: string): Promise<boolean> {
    if (this.legs.get(callId) === undefined || this.legs.get(callId) === 'ended') return false;
    this.hangups.push(callId);
    this.legs.set(callId, 'ended');
    return true;
  }
}

function repliesContract(kind: InfraKind): void {
  describe(`call_command answered with call_command_result on ${kind}`, () => {
    let infra: ScratchInfra;
    let control: CallControlConsumer;
    let engine: FakeCalls;
    const replies: Rec[] = [];
    const forwarded: Array<{ body: Rec; by: unknown }> = [];
    const dead: Rec[] = [];
    const nodeId = `node-${Math.random().toString(16).slice(2, 8)}`;
    const other = `other-${nodeId}`;
    const replyQueue = `gw-${nodeId}`;

    const send = async (body: Partial<MessageBody<typeof callCommand>>, headers: Record<string, string> = {}): Promise<Rec> => {
      const msg = buildMessage(callCommand, { 'Server-ID': replyQueue, ...body } as MessageBody<typeof callCommand>, envelope('api-gateway', '0.1.0'));
      const { exchange, routingKey } = routeFor(callCommand, msg, engine.controlQueue);
      await infra.bus.publish(exchange, routingKey, msg, { headers });
      return msg;
    };
    const replyTo = (msg: Rec): Rec | undefined => replies.find((r) => r['Msg-ID'] === msg['Msg-ID']);

    beforeEach(async () => {
      infra = await scratchInfra(kind);
      replies.length = 0;
      forwarded.length = 0;
      dead.length = 0;
      engine = new FakeCalls(`callctl.${nodeId}`);
      control = new CallControlConsumer({ registry: WITHOUT_RETRIEVE, bus: infra.bus, engine, logger: silentLogger, calls: infra.calls, nodeId, appName: 'media-test', appVersion: '1' });
      await control.start();
      const anyRecord = z.record(z.string(), z.unknown());
      await infra.bus.declareQueue(replyQueue, { exclusive: true, bindings: [{ exchange: 'targeted', routingKey: replyQueue }] });
      await infra.bus.consume(replyQueue, anyRecord, async (m) => void replies.push(m));
      // what the other node's control queue would receive
      await infra.bus.declareQueue(`callctl.${other}`, { exclusive: true, bindings: [{ exchange: 'callctl', routingKey: `callctl.${other}` }] });
      await infra.bus.consume(`callctl.${other}`, anyRecord, async (m, ctx) => void forwarded.push({ body: m, by: ctx.headers[FORWARDED_BY_HEADER] }));
      await infra.bus.consume(DEAD_LETTER_QUEUE, anyRecord, async (m) => void dead.push(m));
      await infra.calls.nodes.heartbeat(other, 60_000);
    });
    afterEach(async () => {
      await control.stop();
      await infra.close();
    });

    it('hangup of a live call: ok to the Server-ID with the Msg-ID and the state it was in; a second hangup: invalid_state, naming it', async () => {
      engine.legs.set('live-1', 'bridged');
      const first = await send({ 'Application-Name': 'hangup', 'Call-ID': 'live-1' });
      await waitFor(() => replyTo(first) !== undefined);
      expect(replyTo(first)).toMatchObject({ 'Event-Category': 'call', 'Event-Name': 'command_result', 'Call-ID': 'live-1', 'Application-Name': 'hangup', Result: 'ok', 'Call-State': 'bridged', Node: nodeId });
      const again = await send({ 'Application-Name': 'hangup', 'Call-ID': 'live-1' });
      await waitFor(() => replyTo(again) !== undefined);
      expect(replyTo(again)).toMatchObject({ Result: 'invalid_state', 'Call-State': 'ended', 'Result-Message': 'call live-1 is already being hung up' });
      expect(engine.hangups).toEqual(['live-1']);
    });

    it('a call nobody holds: no_such_call; one whose record ended: invalid_state; a command not supported yet: not_supported, not dead-lettered', async () => {
      const unknown = await send({ 'Application-Name': 'hangup', 'Call-ID': 'nobody-1' });
      await infra.calls.calls.create({ callId: 'gone-1', accountId: 'a1', nodeId: other, leg: 'a' });
      await infra.calls.calls.end('gone-1', 'USER_BUSY');
      const gone = await send({ 'Application-Name': 'hangup', 'Call-ID': 'gone-1' });
      engine.legs.set('live-2', 'answered');
      const hold = await send({ 'Application-Name': 'retrieve', 'Call-ID': 'live-2' });
      await waitFor(() => [unknown, gone, hold].every((m) => replyTo(m) !== undefined));
      expect(replyTo(unknown)).toMatchObject({ Result: 'no_such_call', 'Result-Message': 'call nobody-1 is not live on any media node' });
      expect(replyTo(gone)).toMatchObject({ Result: 'invalid_state', 'Call-State': 'ended', 'Result-Message': 'call gone-1 has already ended (USER_BUSY)' });
      expect(replyTo(hold)).toMatchObject({ Result: 'not_supported', 'Result-Message': 'call command retrieve is not supported yet on this media node' });
      await new Promise((r) => setTimeout(r, 100));
      expect(dead).toEqual([]);
      expect(engine.hangups).toEqual([]);
    });

    it('an invalid command with a Server-ID: an error reply naming the field, to the Msg-ID, and dead-lettered; without one: dead-lettered only', async () => {
      const bad = { 'Event-Category': 'call', 'Event-Name': 'command', 'App-Name': 'kazoo-tool', 'App-Version': '4.3', 'Application-Name': 'explode', 'Call-ID': 'live-1' };
      await infra.bus.publish('callctl', engine.controlQueue, { ...bad, 'Msg-ID': 'bad-1', 'Server-ID': replyQueue });
      await infra.bus.publish('callctl', engine.controlQueue, { ...bad, 'Msg-ID': 'bad-2' });
      await infra.bus.publish('callctl', engine.controlQueue, { ...bad, 'Msg-ID': 'bad-3', 'Call-ID': 42, 'Server-ID': replyQueue });
      await waitFor(() => dead.length === 3 && replies.length === 2);
      expect(replyTo({ 'Msg-ID': 'bad-1' })).toMatchObject({ 'Event-Category': 'error', 'Event-Name': 'command_result', 'Error-Code': 'command_invalid', 'Call-ID': 'live-1', Node: nodeId, Request: { 'Application-Name': 'explode' } });
      expect(String(replyTo({ 'Msg-ID': 'bad-1' })?.['Error-Message'])).toContain('Application-Name: must be one of hangup');
      // a Call-ID that is not a string is named, and left out of the reply rather than echoed in its place
      expect(replyTo({ 'Msg-ID': 'bad-3' })).toMatchObject({ 'Error-Code': 'command_invalid', Request: { 'Call-ID': 42 } });
      expect(replyTo({ 'Msg-ID': 'bad-3' })).not.toHaveProperty('Call-ID');
      expect(String(replyTo({ 'Msg-ID': 'bad-3' })?.['Error-Message'])).toContain('Call-ID');
      expect(dead.map((d) => d['Msg-ID']).sort()).toEqual(['bad-1', 'bad-2', 'bad-3']);
      expect(engine.hangups).toEqual([]);
    });

    it('a call another live node owns: the command goes to that node once, unchanged, and this node does not answer it', async () => {
      await infra.calls.calls.create({ callId: 'there-1', accountId: 'a1', nodeId: other, leg: 'a' });
      const cmd = await send({ 'Application-Name': 'hangup', 'Call-ID': 'there-1', 'Hangup-Cause': 'USER_BUSY' });
      await waitFor(() => forwarded.length === 1);
      expect(forwarded[0]).toEqual({ body: cmd, by: nodeId });
      // already forwarded once (by someone else): answered here, never bounced again
      const bounced = await send({ 'Application-Name': 'hangup', 'Call-ID': 'there-1' }, { [FORWARDED_BY_HEADER]: 'node-x' });
      await waitFor(() => replyTo(bounced) !== undefined);
      expect(replyTo(bounced)).toMatchObject({ Result: 'no_such_call' });
      expect(replyTo(cmd)).toBeUndefined();
      expect(forwarded).toHaveLength(1);
    });
  });
}

repliesContract('in-process');
repliesContract('rabbitmq+redis');
