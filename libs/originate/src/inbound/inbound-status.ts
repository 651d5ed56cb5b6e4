/** The SIP final response a carrier gets when its call could not be completed, by Q.850 cause (as FreeSWITCH answers). */
const STATUS_OF: Readonly<Record<string, number>> = {
  USER_BUSY: 486,
  NO_ANSWER: 480,
  NO_USER_RESPONSE: 480,
  DESTINATION_OUT_OF_ORDER: 480,
  SUBSCRIBER_ABSENT: 480,
  CALL_REJECTED: 603,
  UNALLOCATED_NUMBER: 404,
  NO_ROUTE_DESTINATION: 404,
  INVALID_NUMBER_FORMAT: 484,
  INCOMPATIBLE_DESTINATION: 488,
  ORIGINATOR_CANCEL: 487,
  channel_limit_reached: 503,
  NORMAL_TEMPORARY_FAILURE: 503,
  SYSTEM_SHUTDOWN: 503,
  MEDIA_SERVER_UNAVAILABLE: 503,
};

export function inboundFailureStatus(cause: string): number {
  return STATUS_OF[cause] ?? 480;
}
