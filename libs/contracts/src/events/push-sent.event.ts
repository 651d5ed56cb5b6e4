import { z } from 'zod';
import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';
import { wireString } from '../wire-types';

/** What a push to a device is for (RFC 8599 wake-up: ring it, refresh a lapsed binding mid-dialog, or stop ringing). */
export const PUSH_KINDS = ['call', 'update', 'cancel'] as const;
export type PushKind = (typeof PUSH_KINDS)[number];

/** Fields every push event of a leg carries: the device's RFC 8599 parameters and what the push was for. */
export const pushEventFields = {
  'Push-Provider': wireString,
  'Push-PRID': wireString,
  'Push-Param': z.string().optional(),
  'Push-Kind': z.enum(PUSH_KINDS, { error: 'must be call, update or cancel' }),
  /** Why a cancel push went out: the device is told `answered_elsewhere` or `cancelled`. */
  'Push-Reason': z.string().optional(),
};

/** A push notification went out to wake (or stop) an unregistered device; Legwork extension, before CHANNEL_PROGRESS. */
export const pushSent = defineCallEvent('PUSH_SENT', pushEventFields);
export type PushSent = MessageOf<typeof pushSent>;
