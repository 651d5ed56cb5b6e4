import type { RecordAction } from '../call/call-control';
import { outcome } from './command.types';
import { onLiveLeg } from './leg-command';

/** `record_start` / `record_pause` / `record_resume` / `record_stop`: the call's recording (both sides, one WAV per segment). */
export function recordCommand(action: RecordAction) {
  return onLiveLeg(async (controls, callId) => {
    const id = await controls.record(callId, action);
    return outcome.ok(controls.recordingState, { 'Media-Recording-ID': id, 'Recording-State': controls.recordingState });
  });
}
