import { BasixError } from '../core/basix.error';

interface Mapped {
  status: number;
  id: string;
  message: string;
}

/** Origination causes (Kazoo's Error-Message words) that have a Basix id and status of their own. */
const CAUSES: Record<string, Mapped> = {
  channel_limit_reached: { status: 429, id: 'channel_limit_reached', message: 'the domain is at its limit of concurrent channels' },
  MEDIA_SERVER_UNAVAILABLE: { status: 503, id: 'media_server_unavailable', message: 'no media server takes calls right now' },
  DESTINATION_OUT_OF_ORDER: { status: 409, id: 'user_unavailable', message: "none of the user's terminals is registered" },
  OUTGOING_CALL_BARRED: { status: 403, id: 'destination_not_allowed', message: "the domain's outbound rules refuse this destination or calling_number" },
  NO_ROUTE_DESTINATION: { status: 409, id: 'destination_unreachable', message: 'no route reaches the destination' },
  NO_ANSWER: { status: 408, id: 'no_answer', message: 'the user did not answer within answer_timeout' },
  USER_BUSY: { status: 409, id: 'user_busy', message: "the user's terminals are busy" },
  CALL_REJECTED: { status: 409, id: 'call_rejected', message: "the user's terminals rejected the call" },
};

/** The Basix error id of a failed origination: a known cause's, else the cause in lower case (`normal_temporary_failure`). */
export function causeId(cause: string): string {
  return CAUSES[cause]?.id ?? (cause.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 64) || 'origination_failed');
}

/** A failed origination as the HTTP answer of call_user. */
export function causeError(cause: string, detail?: string): BasixError {
  const known = CAUSES[cause];
  if (known !== undefined) return new BasixError(known.status, known.id, detail ?? known.message);
  return new BasixError(502, causeId(cause), detail ?? `the call could not be placed (${cause})`);
}

/** No answer from the origination core in time. */
export function timeoutError(): BasixError {
  return new BasixError(504, 'timeout', 'the media servers did not answer in time');
}
