import { type CommandHandler, outcome } from './command.types';

/** `hangup`: ends the call the leg belongs to (every leg of it) with Hangup-Cause, default NORMAL_CLEARING. */
export const hangupCommand: CommandHandler = async (cmd, { engine, locate }) => {
  const callId = cmd['Call-ID'];
  const before = engine.findCall?.(callId)?.legState(callId);
  if (before === 'ended') return outcome.invalidState('ended', `call ${callId} is already being hung up`);
  if (await engine.hangup(callId, cmd['Hangup-Cause'] ?? 'NORMAL_CLEARING')) return outcome.ok(before);
  return locate.elsewhere(callId);
};
