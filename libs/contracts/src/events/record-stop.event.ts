import { z } from 'zod';
import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';
import { nonNegativeInt } from '../wire-types';

/** Recording of the leg ended; Length is in milliseconds, as FreeSWITCH reports it to Kazoo. */
export const recordStop = defineCallEvent('RECORD_STOP', {
  'Media-Name': z.string().optional(),
  'Media-Recording-ID': z.string().optional(),
  Length: nonNegativeInt.optional(),
  Terminator: z.string().optional(),
  'Silence-Terminated': z.boolean().optional(),
});
export type RecordStop = MessageOf<typeof recordStop>;
