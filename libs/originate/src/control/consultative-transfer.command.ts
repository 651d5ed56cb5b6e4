import { outcome } from './command.types';
import { onLiveLeg } from './leg-command';

/** `consultative_transfer` (and an attended `transfer`): the remote parties of the leg's call and of Target-Call-ID's are joined, both legs released. */
export const consultativeTransferCommand = onLiveLeg(async (_controls, callId, cmd, engine) => {
  const target = cmd['Target-Call-ID'] ?? '';
  if (engine.consultativeTransfer === undefined) return outcome.notSupported('a consultative transfer is not supported on this media node');
  const joined = await engine.consultativeTransfer(callId, target);
  // both halves must be on one node to be joined here
  if (joined === undefined) return outcome.failed(`call ${target} is not live on the media node holding call ${callId}`);
  return outcome.ok('ended', { 'Other-Leg-Call-ID': joined.remaining.callId, 'Target-Other-Leg-Call-ID': joined.joined.callId, 'Target-Call-ID': target });
});
