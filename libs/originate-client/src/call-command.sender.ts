import { isBusError, type Bus } from '@legwork/bus';
import type { CallStore } from '@legwork/call-state';
import {
  buildMessage, callCommand, callCommandResultSchema, controlQueueOf, routeFor, type CallCommandName, type CallCommandResult, type EnvelopeDefaults, type MessageBody,
} from '@legwork/contracts';
import { OriginationClientError } from './origination-client.errors';
import type { CallCommandOptions, CommandOutcome } from './origination-client';

export interface CommandDeps {
  bus: Bus;
  calls: CallStore;
  envelope: EnvelopeDefaults;
  commandTimeoutMs: number;
}

/**
 * Sends `call_command` to the control queue of the node call-state names as the call's owner and returns its
 * call_command_result. A call call-state does not hold live is `no_such_call` without a bus round trip; a node
 * whose queue is gone (it stopped; the sweeper ends its calls) is `no_such_call` too, as the media side answers it.
 */
export async function sendCallCommand(deps: CommandDeps, callId: string, name: CallCommandName, opts: CallCommandOptions = {}): Promise<CommandOutcome> {
  const call = await deps.calls.calls.get(callId);
  if (call === null || call.state === 'ended') return { result: 'no_such_call', message: `no live call ${callId}` };
  const nodeId = call.nodeId;
  const body = { ...opts.args, 'Application-Name': name, 'Call-ID': callId, 'Account-ID': call.accountId };
  const msg = buildMessage(callCommand, body as MessageBody<typeof callCommand>, deps.envelope);
  const { exchange, routingKey } = routeFor(callCommand, msg, controlQueueOf(nodeId));
  const timeoutMs = opts.timeoutMs ?? deps.commandTimeoutMs;
  try {
    const reply = await deps.bus.request<CallCommandResult>(exchange, routingKey, msg, { timeoutMs, schema: callCommandResultSchema });
    return {
      result: reply.Result, nodeId,
      ...(reply['Result-Message'] !== undefined ? { message: reply['Result-Message'] } : {}),
      ...(reply['Call-State'] !== undefined ? { callState: reply['Call-State'] } : {}),
      ...(reply['Result-Data'] !== undefined ? { data: reply['Result-Data'] } : {}),
    };
  } catch (err) {
    if (isBusError(err, 'bus_unroutable')) return { result: 'no_such_call', nodeId, message: `call ${callId} is on media node ${nodeId}, which cannot be reached` };
    if (isBusError(err, 'bus_timeout')) throw new OriginationClientError('command_timeout', `media node ${nodeId} did not answer ${name} for ${callId} within ${timeoutMs} ms`, { callId, nodeId, command: name });
    throw err;
  }
}
