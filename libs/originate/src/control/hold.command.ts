import { outcome } from './command.types';
import { onLiveLeg } from './leg-command';

/** `hold`: the party of the leg named is held (sendonly toward it, music on hold through rtpengine). */
export const holdCommand = onLiveLeg(async (controls, callId) => outcome.ok(await controls.hold(callId)));
