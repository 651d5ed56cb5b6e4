import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';

/** A leg exists (INVITE sent or received). */
export const channelCreate = defineCallEvent('CHANNEL_CREATE', {});
export type ChannelCreate = MessageOf<typeof channelCreate>;
