import { z } from 'zod';
import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';
import { nonNegativeInt, wireString } from '../wire-types';

/** A recording segment was written: where it is kept, how long it plays (ms) and its size in bytes. */
export const recordingSaved = defineCallEvent('RECORDING_SAVED', {
  'Media-Recording-ID': wireString,
  'Media-Name': wireString,
  'Recording-Location': wireString,
  'Content-Type': z.string().optional(),
  Length: nonNegativeInt,
  'Size-Bytes': nonNegativeInt,
});
export type RecordingSaved = MessageOf<typeof recordingSaved>;
