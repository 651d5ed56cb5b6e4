import type { Cdr } from '@legwork/cdr';
import { channelCreatedMs, gregorianSeconds, normalize, stripEnvelope, type ChannelDestroy } from '@legwork/contracts';

/** The platform's CDR: the CHANNEL_DESTROY normalized as the bus's data is everywhere, plus id, call_id and gregorian timestamps. */
export function cdrFromDestroy(event: ChannelDestroy, now: number = Date.now()): Cdr {
  const accountId = event['Custom-Channel-Vars']['Account-ID'];
  const createdAt = event['Channel-Created-Time'] !== undefined ? channelCreatedMs(event['Channel-Created-Time']) : (event['Timestamp-Ms'] !== undefined ? event['Timestamp-Ms'] - (event['Duration-Seconds'] ?? 0) * 1000 : now);
  const doc = {
    ...normalize(stripEnvelope(event)),
    id: event['Call-ID'],
    call_id: event['Call-ID'],
    account_id: accountId,
    custom_application_vars: { ...(event['Custom-Application-Vars'] ?? {}) },
    timestamp: event.Timestamp ?? gregorianSeconds(now),
    created: gregorianSeconds(createdAt),
  };
  return { id: event['Call-ID'], accountId, createdAt, doc };
}
