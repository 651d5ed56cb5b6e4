import { outcome } from './command.types';
import { onLiveLeg } from './leg-command';

/** `blind_transfer` (and `transfer` unless attended, see the registry): the leg named leaves, its peer is connected to Transfer-To. */
export const blindTransferCommand = onLiveLeg(async (controls, callId, cmd) => {
  const to = cmd['Transfer-To'] ?? '';
  const remaining = await controls.blindTransfer(callId, to);
  return outcome.ok('ended', { 'Other-Leg-Call-ID': remaining, 'Transfer-To': to });
});
