import { z } from 'zod';
import { MissingRouteError } from './contract.error';
import { defineMessage, type MessageOf } from './define-message';
import { sipText } from './sip-safe';
import { EXCHANGES } from './topology';
import { wireString } from './wire-types';

/** Every command the call-control plane carries; a node answers `not_supported` for one it cannot run yet. */
export const CALL_COMMANDS = [
  'hangup', 'hold', 'unhold', 'reconnect', 'transfer', 'blind_transfer', 'consultative_transfer',
  'record_start', 'record_pause', 'record_resume', 'record_stop', 'retrieve',
] as const;
export type CallCommandName = (typeof CALL_COMMANDS)[number];

/**
 * A command for one live call (Kazoo's `call`/`command` dialplan message), sent on `callctl` to the
 * control queue of the node that owns the call, which the caller passes as `target`. With a
 * `Server-ID` the node answers a `call_command_result` there; without one it is fire and forget.
 */
export const callCommand = defineMessage({
  name: 'call_command',
  category: 'call',
  eventName: 'command',
  exchange: EXCHANGES.callctl.name,
  routingKey: (_msg, target) => {
    if (!target) throw new MissingRouteError('call_command', "the owning node's control queue");
    return target;
  },
  body: {
    'Application-Name': z.enum(CALL_COMMANDS, { error: `must be one of ${CALL_COMMANDS.join(', ')}` }),
    'Call-ID': wireString,
    'Hangup-Cause': z.string().optional(),
    'Hold-Media': z.string().optional(),
    /** Where a transfer goes: an extension or number, as an originate's Route (it reaches SIP). */
    'Transfer-To': sipText.uri.optional(),
    'Transfer-Type': z.enum(['blind', 'attended'], { error: 'must be blind or attended' }).optional(),
    'Target-Call-ID': z.string().optional(),
    'Media-Name': z.string().optional(),
    'Insert-At': z.enum(['head', 'tail', 'flush', 'now'], { error: 'must be head, tail, flush or now' }).optional(),
    /** Command arguments that have no header of their own (e.g. a recording's format), kept as given. */
    'Command-Data': z.record(z.string(), z.unknown()).optional(),
  },
  refine: (msg, ctx) => {
    if ((msg['Application-Name'] === 'transfer' || msg['Application-Name'] === 'blind_transfer') && !msg['Transfer-To']) {
      ctx.addIssue({ code: 'custom', path: ['Transfer-To'], message: `Application-Name: ${msg['Application-Name']} requires Transfer-To` });
    }
    if (msg['Application-Name'] === 'consultative_transfer' && !msg['Target-Call-ID']) {
      ctx.addIssue({ code: 'custom', path: ['Target-Call-ID'], message: 'Application-Name: consultative_transfer requires Target-Call-ID' });
    }
    if (msg['Transfer-Type'] === 'attended' && !msg['Target-Call-ID']) {
      ctx.addIssue({ code: 'custom', path: ['Target-Call-ID'], message: 'Transfer-Type: attended requires Target-Call-ID' });
    }
  },
});

export const callCommandSchema = callCommand.schema;
export type CallCommand = MessageOf<typeof callCommand>;
