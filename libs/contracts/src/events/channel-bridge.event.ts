import { defineCallEvent } from './call-event.base';
import type { MessageOf } from '../define-message';
import { wireString } from '../wire-types';

/** Two legs are joined; a bridge without its peer is meaningless, so Other-Leg-Call-ID is required. */
export const channelBridge = defineCallEvent('CHANNEL_BRIDGE', { 'Other-Leg-Call-ID': wireString });
export type ChannelBridge = MessageOf<typeof channelBridge>;
