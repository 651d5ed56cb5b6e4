import { outcome } from './command.types';
import { onLiveLeg } from './leg-command';

/** `blind_transfer` (and `transfer` unless attended): the leg named leaves, its peer is connected to Transfer-To. */
export const blindTransferCommand = onLiveLeg(async (controls, callId, cmd) => {
  if (cmd['Transfer-Type'] === 'attended') return outcome.notSupported('an attended transfer is not supported yet on this media node');
  const to = cmd['Transfer-To'] ?? '';
  const remaining = await controls.blindTransfer(callId, to);
  return outcome.ok('ended', { 'Other-Leg-Call-ID': remaining, 'Transfer-To': to });
});
