import { LegworkError } from '@legwork/common';

/** Why a message was rejected; stable strings that tests and metrics key on. */
export type SipParseReason =
  | 'empty'
  | 'bad_start_line'
  | 'bad_version'
  | 'bad_status_code'
  | 'no_header_end'
  | 'missing_colon'
  | 'bad_header_name'
  | 'bare_line_break'
  | 'nul_byte'
  | 'too_many_headers'
  | 'header_too_long'
  | 'message_too_large'
  | 'missing_header'
  | 'duplicate_header'
  | 'bad_content_length'
  | 'missing_content_length'
  | 'truncated_body'
  | 'bad_cseq'
  | 'bad_max_forwards'
  | 'bad_via'
  | 'bad_uri'
  | 'bad_name_addr'
  | 'bad_params'
  | 'unterminated_quote'
  | 'unterminated_angle'
  | 'bad_auth';

/** Whatever could still be read from a rejected message, enough to answer it with a 400. */
export interface SipPartialMessage {
  startLine?: string;
  method?: string;
  requestUri?: string;
  statusCode?: number;
  vias: string[];
  from?: string;
  to?: string;
  callId?: string;
  cseq?: string;
  contentLength?: string;
}

const LIMIT_REASONS: ReadonlySet<SipParseReason> = new Set(['too_many_headers', 'header_too_long', 'message_too_large']);

export class SipParseError extends LegworkError {
  constructor(
    readonly reason: SipParseReason,
    message: string,
    readonly partial?: SipPartialMessage,
  ) {
    super(LIMIT_REASONS.has(reason) ? 'sip_too_large' : 'sip_malformed', message, { reason, ...(partial ? { partial } : {}) });
  }
}

export type SipResult<T> = { ok: true; value: T } | { ok: false; error: SipParseError };

export function ok<T>(value: T): SipResult<T> {
  return { ok: true, value };
}

export function fail<T>(reason: SipParseReason, message: string, partial?: SipPartialMessage): SipResult<T> {
  return { ok: false, error: new SipParseError(reason, message, partial) };
}

/** Internal control flow of the value parsers; always caught and turned into a SipResult. */
export class SipValueError extends Error {
  constructor(
    readonly reason: SipParseReason,
    message: string,
  ) {
    super(message);
  }
}

/** Runs a value parser that may throw SipValueError and returns a typed result instead. */
export function attempt<T>(fn: () => T): SipResult<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof SipValueError) return fail(err.reason, err.message);
    return fail('bad_params', err instanceof Error ? err.message : String(err));
  }
}
