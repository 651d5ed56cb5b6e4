import { z } from 'zod';
import { defineMessage, type MessageOf } from './define-message';
import { replyRoutingKey } from './reply-routing';
import { EXCHANGES } from './topology';
import { jsonObject, wireString } from './wire-types';

/**
 * The answer to a `call_command` the node could not read (Kazoo's error reply: `Event-Category: error`, the
 * result's Event-Name), to the requester's Server-ID with its Msg-ID, so it stops waiting; the command itself
 * is dead-lettered. Error-Message names each field at fault; Call-ID is the command's when it was a string.
 */
export const callCommandError = defineMessage({
  name: 'call_command_error',
  category: 'error',
  eventName: 'command_result',
  exchange: EXCHANGES.targeted.name,
  routingKey: replyRoutingKey('call_command_error'),
  body: {
    'Error-Message': wireString,
    'Error-Code': z.string().optional(),
    Request: jsonObject.optional(),
    'Call-ID': z.string().optional(),
  },
});

export const callCommandErrorSchema = callCommandError.schema;
export type CallCommandError = MessageOf<typeof callCommandError>;
