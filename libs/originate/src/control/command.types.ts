import type { LegState } from '@legwork/call-state';
import type { CallCommand, CallCommandResultCode } from '@legwork/contracts';
import type { CallState } from '../call/call';
import type { LegControls } from '../call/call-control';

/** What a command handler may read and do on a call this node holds. */
export interface ControlledCall {
  state(): CallState;
  /** The state of the leg the command names (`ended` once it is ending). */
  legState(legId: string): LegState | undefined;
  /** hold, unhold, retrieve and blind transfer of its legs. */
  readonly control: LegControls;
}

/** What call control needs from the engine. */
export interface CallController {
  readonly controlQueue: string;
  hangup(callId: string, cause?: string): Promise<boolean>;
  /** The live call holding this leg id; an engine without Call objects leaves it out. */
  findCall?(callId: string): ControlledCall | undefined;
  /** reconnect: ends the other live calls of the leg's owner; the leg ids told to end. */
  releaseOtherCalls?(callId: string): Promise<string[]>;
  /** consultative_transfer: the remote parties of both legs' calls joined, the legs released; undefined when the target leg is not live here. */
  consultativeTransfer?(callId: string, targetCallId: string): Promise<{ remaining: { callId: string }; joined: { callId: string } } | undefined>;
}

/** A command's answer (call_command_result), or the node it must go to instead. */
export type CommandOutcome =
  | { kind: 'result'; result: CallCommandResultCode; message?: string; callState?: string; data?: Record<string, unknown> }
  | { kind: 'forward'; nodeId: string };

/** Where a call that is not live here is, if anywhere (call-state). */
export interface CallLocator {
  /** not here: forwarded to its live owner once, else no_such_call, or invalid_state for an ended one. */
  elsewhere(callId: string): Promise<CommandOutcome>;
}

export interface CommandContext {
  readonly engine: CallController;
  readonly locate: CallLocator;
}

/** One command of the plane; every handler checks the call's state first. */
export type CommandHandler = (cmd: CallCommand, ctx: CommandContext) => Promise<CommandOutcome>;

export const outcome = {
  ok: (callState?: string, data?: Record<string, unknown>): CommandOutcome => ({ kind: 'result', result: 'ok', ...(callState !== undefined ? { callState } : {}), ...(data !== undefined ? { data } : {}) }),
  invalidState: (callState: string, message: string): CommandOutcome => ({ kind: 'result', result: 'invalid_state', callState, message }),
  noSuchCall: (message: string): CommandOutcome => ({ kind: 'result', result: 'no_such_call', message }),
  notSupported: (message: string): CommandOutcome => ({ kind: 'result', result: 'not_supported', message }),
  failed: (message: string): CommandOutcome => ({ kind: 'result', result: 'failed', message }),
};
