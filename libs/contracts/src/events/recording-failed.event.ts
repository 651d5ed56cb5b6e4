import { z } from 'zod';
import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';

/** A recording could not be started or saved; Error-Message says why. */
export const recordingFailed = defineCallEvent('RECORDING_FAILED', {
  'Media-Recording-ID': z.string().optional(),
  'Error-Message': z.string(),
});
export type RecordingFailed = MessageOf<typeof recordingFailed>;
