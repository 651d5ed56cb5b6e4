import { z } from 'zod';
import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';
import { nonNegativeInt, wireString } from '../wire-types';

/** The leg is gone; this event normalized is the CDR, so cause and durations are required. */
export const channelDestroy = defineCallEvent('CHANNEL_DESTROY', {
  'Hangup-Cause': wireString,
  'Duration-Seconds': nonNegativeInt,
  'Billing-Seconds': nonNegativeInt,
  'Ringing-Seconds': nonNegativeInt,
  'Hangup-Code': z.string().regex(/^sip:\d{3}$/, 'must look like sip:486').optional(),
  /** A leg that waited for a push wake-up (RFC 8599): the provider, and ms from the push to the device's REGISTER. */
  'Push-Provider': z.string().optional(),
  'Push-Wake-Ms': nonNegativeInt.optional(),
  /** The recordings saved during the call (Media-Recording-ID of each RECORDING_SAVED), so the CDR names them. */
  'Recording-IDs': z.array(wireString).optional(),
});
export type ChannelDestroy = MessageOf<typeof channelDestroy>;
