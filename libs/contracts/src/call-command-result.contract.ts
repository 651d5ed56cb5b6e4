import { z } from 'zod';
import { CALL_COMMANDS } from './call-command.contract';
import { defineMessage, type MessageOf } from './define-message';
import { replyRoutingKey } from './reply-routing';
import { EXCHANGES } from './topology';
import { wireString } from './wire-types';

/**
 * How a command ended: `ok` (done), `no_such_call` (not live anywhere the node knows), `invalid_state`
 * (the call is in no state to do it: Result-Message says which and why), `not_supported` (this node
 * cannot run that command), `failed` (it was tried and did not work: Result-Message says why).
 */
export const CALL_COMMAND_RESULTS = ['ok', 'no_such_call', 'invalid_state', 'not_supported', 'failed'] as const;
export type CallCommandResultCode = (typeof CALL_COMMAND_RESULTS)[number];

/** The owning node's answer to a `call_command`, on `targeted` to the requester's Server-ID, with the command's Msg-ID. */
export const callCommandResult = defineMessage({
  name: 'call_command_result',
  category: 'call',
  eventName: 'command_result',
  exchange: EXCHANGES.targeted.name,
  routingKey: replyRoutingKey('call_command_result'),
  body: {
    'Call-ID': wireString,
    'Application-Name': z.enum(CALL_COMMANDS, { error: `must be one of ${CALL_COMMANDS.join(', ')}` }),
    Result: z.enum(CALL_COMMAND_RESULTS, { error: `must be one of ${CALL_COMMAND_RESULTS.join(', ')}` }),
    'Result-Message': z.string().optional(),
    /** The call's state when the command was refused (`invalid_state`). */
    'Call-State': z.string().optional(),
    /** What the command produced, if anything (e.g. a new leg's Call-ID, a recording id). */
    'Result-Data': z.record(z.string(), z.unknown()).optional(),
  },
});

export const callCommandResultSchema = callCommandResult.schema;
export type CallCommandResult = MessageOf<typeof callCommandResult>;
