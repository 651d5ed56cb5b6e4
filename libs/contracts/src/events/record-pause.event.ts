import { z } from 'zod';
import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';

/** Recording of the call was paused: what the parties say until RECORD_RESUME is not kept. */
export const recordPause = defineCallEvent('RECORD_PAUSE', {
  'Media-Name': z.string().optional(),
  'Media-Recording-ID': z.string().optional(),
});
export type RecordPause = MessageOf<typeof recordPause>;
