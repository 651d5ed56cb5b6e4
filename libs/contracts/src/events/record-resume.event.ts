import { z } from 'zod';
import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';

/** Recording of the call goes on after RECORD_PAUSE, in the same file. */
export const recordResume = defineCallEvent('RECORD_RESUME', {
  'Media-Name': z.string().optional(),
  'Media-Recording-ID': z.string().optional(),
});
export type RecordResume = MessageOf<typeof recordResume>;
