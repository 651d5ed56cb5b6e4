import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';

/** The leg left its bridge; Other-Leg-Call-ID names the former peer when known. */
export const channelUnbridge = defineCallEvent('CHANNEL_UNBRIDGE', {});
export type ChannelUnbridge = MessageOf<typeof channelUnbridge>;
