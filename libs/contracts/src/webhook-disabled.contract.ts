import { z } from 'zod';
import { defineMessage, type MessageOf } from './define-message';
import { EXCHANGES, encodeRoutingKeySegment } from './topology';
import { nonNegativeInt, wireString } from './wire-types';

/** Routing key prefix of webhook lifecycle notices on `callevt` (apart from `call.*.*`). */
export const WEBHOOK_EVENT_PREFIX = 'webhook';

/** The platform disabled a hook after repeated delivery failures; `re-enable` turns it back on. */
export const webhookDisabled = defineMessage({
  name: 'webhook_disabled',
  category: 'webhook',
  eventName: 'webhook_disabled',
  exchange: EXCHANGES.callevt.name,
  routingKey: (msg) => `${WEBHOOK_EVENT_PREFIX}.disabled.${encodeRoutingKeySegment(msg['Hook-ID'])}`,
  body: {
    'Account-ID': wireString,
    'Hook-ID': wireString,
    'Hook-Name': z.string().optional(),
    Reason: wireString,
    Failures: nonNegativeInt,
  },
});

export type WebhookDisabled = MessageOf<typeof webhookDisabled>;
