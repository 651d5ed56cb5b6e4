import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';

/** The leg was put on hold. */
export const channelHold = defineCallEvent('CHANNEL_HOLD', {});
export type ChannelHold = MessageOf<typeof channelHold>;
