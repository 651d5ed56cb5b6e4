import { z } from 'zod';
import { normalize } from '@legwork/contracts';
import { channelOwnership, type Ownership } from '@legwork/directory';
import type { EventFrame } from './blackhole.protocol';
import type { Subscription } from './subscription.set';

/** Just enough of a call event to route it; the full contract was checked by its publisher. */
export const streamedEventSchema = z.looseObject({
  'Event-Name': z.string(),
  'Custom-Channel-Vars': z.looseObject({ 'Account-ID': z.string().optional() }).optional(),
});
export type StreamedEvent = z.output<typeof streamedEventSchema>;

export function eventAccountId(event: StreamedEvent): string | undefined {
  const id = event['Custom-Channel-Vars']?.['Account-ID'];
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** Who the event's call belongs to, from its channel vars (Owner-ID, Authorizing-ID/-Type). */
export function eventOwnership(event: StreamedEvent): Ownership {
  const ccv = event['Custom-Channel-Vars'] ?? {};
  return channelOwnership({ ownerId: ccv['Owner-ID'], authorizingId: ccv['Authorizing-ID'], authorizingType: ccv['Authorizing-Type'] });
}

export function eventFrame(event: StreamedEvent, routingKey: string, sub: Subscription): EventFrame {
  return {
    action: 'event',
    subscribed_key: sub.binding,
    subscription_key: sub.routingKey,
    name: event['Event-Name'],
    routing_key: routingKey,
    data: normalize(event),
  };
}
