import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';

/** The leg answered (200 OK). */
export const channelAnswer = defineCallEvent('CHANNEL_ANSWER', {});
export type ChannelAnswer = MessageOf<typeof channelAnswer>;
