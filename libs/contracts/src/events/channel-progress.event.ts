import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';

/** The leg is ringing or has early media (180/183). */
export const channelProgress = defineCallEvent('CHANNEL_PROGRESS', {});
export type ChannelProgress = MessageOf<typeof channelProgress>;
