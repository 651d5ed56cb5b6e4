import { z } from 'zod';
import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';
import { nonNegativeInt, wireString } from '../wire-types';

/** The device a push woke has REGISTERed (on any node): the leg INVITEs this binding next. Legwork extension. */
export const deviceRegistered = defineCallEvent('DEVICE_REGISTERED', {
  'Push-Provider': wireString,
  'Push-PRID': wireString,
  'Push-Param': z.string().optional(),
  /** The woken binding's Contact URI and the node its REGISTER arrived on. */
  Contact: wireString,
  'Registrar-Node': wireString,
  /** Milliseconds from the push to the REGISTER. */
  'Push-Wake-Ms': nonNegativeInt,
});
export type DeviceRegistered = MessageOf<typeof deviceRegistered>;
