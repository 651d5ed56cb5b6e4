import { outcome } from './command.types';
import { onLiveLeg } from './leg-command';

/** `unhold`: the held party of the leg named talks again (sendrecv). */
export const unholdCommand = onLiveLeg(async (controls, callId) => outcome.ok(await controls.unhold(callId)));
