/** SIP final status → Q.850 hangup cause, following FreeSWITCH's sofia mapping (sofia_glue_sip_cause_to_freeswitch). */
const SIP_TO_Q850: Readonly<Record<number, string>> = {
  200: 'NORMAL_CLEARING',
  401: 'CALL_REJECTED',
  402: 'CALL_REJECTED',
  403: 'CALL_REJECTED',
  407: 'CALL_REJECTED',
  603: 'CALL_REJECTED',
  607: 'CALL_REJECTED',
  404: 'UNALLOCATED_NUMBER',
  485: 'NO_ROUTE_DESTINATION',
  604: 'NO_ROUTE_DESTINATION',
  408: 'RECOVERY_ON_TIMER_EXPIRE',
  504: 'RECOVERY_ON_TIMER_EXPIRE',
  410: 'NUMBER_CHANGED',
  413: 'INTERWORKING',
  414: 'INTERWORKING',
  416: 'INTERWORKING',
  420: 'INTERWORKING',
  421: 'INTERWORKING',
  423: 'INTERWORKING',
  505: 'INTERWORKING',
  513: 'INTERWORKING',
  480: 'NO_USER_RESPONSE',
  400: 'NORMAL_TEMPORARY_FAILURE',
  481: 'NORMAL_TEMPORARY_FAILURE',
  500: 'NORMAL_TEMPORARY_FAILURE',
  503: 'NORMAL_TEMPORARY_FAILURE',
  484: 'INVALID_NUMBER_FORMAT',
  486: 'USER_BUSY',
  600: 'USER_BUSY',
  487: 'ORIGINATOR_CANCEL',
  488: 'INCOMPATIBLE_DESTINATION',
  606: 'INCOMPATIBLE_DESTINATION',
  501: 'FACILITY_REJECTED',
  502: 'NETWORK_OUT_OF_ORDER',
  405: 'SERVICE_UNAVAILABLE',
  406: 'SERVICE_NOT_IMPLEMENTED',
  415: 'SERVICE_NOT_IMPLEMENTED',
  482: 'EXCHANGE_ROUTING_ERROR',
  483: 'EXCHANGE_ROUTING_ERROR',
};

/** The Q.850 cause name FreeSWITCH reports for a SIP final status; unknown classes fall back per class. */
export function sipStatusToQ850(status: number): string {
  const known = SIP_TO_Q850[status];
  if (known !== undefined) return known;
  if (status >= 200 && status < 300) return 'NORMAL_CLEARING';
  if (status >= 300 && status < 400) return 'NORMAL_UNSPECIFIED';
  if (status >= 400 && status < 500) return 'CALL_REJECTED';
  if (status >= 500 && status < 600) return 'NORMAL_TEMPORARY_FAILURE';
  if (status >= 600 && status < 700) return 'CALL_REJECTED';
  return 'NORMAL_UNSPECIFIED';
}

/** `Hangup-Code` as Kazoo reports it (`sip:486`), or undefined for a non-SIP status. */
export function sipHangupCode(status: number | undefined): string | undefined {
  return status !== undefined && status >= 100 && status <= 699 ? `sip:${status}` : undefined;
}
