import { outcome } from './command.types';
import { onLiveLeg } from './leg-command';

/** `reconnect`: the leg named comes off hold (when held) and every other call of its owner is released. */
export const reconnectCommand = onLiveLeg(async (controls, callId, _cmd, engine) => {
  const state = await controls.retrieve(callId);
  const released = (await engine.releaseOtherCalls?.(callId)) ?? [];
  return outcome.ok(state, { 'Released-Call-IDs': released });
});
