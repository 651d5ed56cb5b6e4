import { z } from 'zod';
import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';

/** Recording of the leg began. */
export const recordStart = defineCallEvent('RECORD_START', {
  'Media-Name': z.string().optional(),
  'Media-Recording-ID': z.string().optional(),
});
export type RecordStart = MessageOf<typeof recordStart>;
