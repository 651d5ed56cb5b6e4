import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';

/** The leg was taken off hold. */
export const channelUnhold = defineCallEvent('CHANNEL_UNHOLD', {});
export type ChannelUnhold = MessageOf<typeof channelUnhold>;
