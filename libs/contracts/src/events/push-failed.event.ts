import { z } from 'zod';
import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';
import { wireString } from '../wire-types';
import { pushEventFields } from './push-sent.event';

/** The push service refused or could not be reached: its answer, so the subscriber sees why the device never rang. */
export const pushFailed = defineCallEvent('PUSH_FAILED', {
  ...pushEventFields,
  /** The push service's HTTP status, when it answered. */
  'Push-Status': z.number().int().optional(),
  /** The service's reason (APNs `reason`, FCM `error.status`, the gateway's body) or the transport error. */
  'Push-Error': wireString,
});
export type PushFailed = MessageOf<typeof pushFailed>;
