import { outcome } from './command.types';
import { onLiveLeg } from './leg-command';

/** `retrieve`: the other devices of Transfer-To (the leg's user) ring; the one that answers takes the call, the leg named is released. */
export const retrieveCommand = onLiveLeg(async (controls, callId, cmd) => {
  const route = cmd['Transfer-To'];
  if (route === undefined || route === '') return outcome.failed('retrieve needs Transfer-To: the user whose other devices ring');
  const remaining = await controls.pull(callId, route);
  return outcome.ok('ringing', { 'Other-Leg-Call-ID': remaining, 'Call-ID': callId });
});
