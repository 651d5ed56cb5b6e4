import { LegworkError } from '@legwork/common';
import { rawNulInText } from './sip-nul';

/** Why a value may not go on the wire. */
export type SipUnsafeReason =
  /** CR or LF: would end the line and start a header of the caller's choosing. */
  | 'line_break'
  /** NUL outside a quoted-pair (or anywhere in a value we are asked to build from). */
  | 'nul'
  | 'bad_header_name'
  | 'bad_method'
  | 'bad_token'
  /** Not a URI, or one with a character that breaks the structure around it (<, >, ", space, controls). */
  | 'bad_uri'
  /** Not a name-addr / addr-spec (e.g. a ">" inside the URI). */
  | 'bad_name_addr'
  | 'bad_number';

/** A header, URI, display name or start-line part that would corrupt or inject into the message; never sent. */
export class SipUnsafeValueError extends LegworkError<'sip_unsafe_value'> {
  constructor(header: string, reason: SipUnsafeReason, why: string) {
    // the value itself stays out: it is hostile and may hold line breaks meant for our logs
    super('sip_unsafe_value', `unsafe SIP value for ${JSON.stringify(header)}: ${why}`, { header, reason });
  }

  get header(): string {
    return this.details['header'] as string;
  }

  get reason(): SipUnsafeReason {
    return this.details['reason'] as SipUnsafeReason;
  }
}

const LINE_BREAK = /[\r\n]/;
const SUSPECT = /[\r\n\0]/;
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** RFC 3261 token (header names, methods, tags). */
export function isTokenText(text: string): boolean {
  return TOKEN.test(text);
}

/** A value that stays on its line: no CR or LF, and NUL only as a quoted-pair inside a quoted string (what the parser accepts). */
export function checkLine(header: string, value: string): void {
  // one regex pass on the common path; regex scans keep their speed where String methods lose it
  if (!SUSPECT.test(value)) return;
  if (LINE_BREAK.test(value)) throw new SipUnsafeValueError(header, 'line_break', 'contains CR or LF');
  if (rawNulInText(value)) throw new SipUnsafeValueError(header, 'nul', 'contains a NUL');
}

/** Stricter, for text the caller hands us to build from (display names, numbers): no CR, LF or NUL at all. */
export function checkText(header: string, value: string): void {
  if (!SUSPECT.test(value)) return;
  if (LINE_BREAK.test(value)) throw new SipUnsafeValueError(header, 'line_break', 'contains CR or LF');
  throw new SipUnsafeValueError(header, 'nul', 'contains a NUL');
}

export function checkHeaderName(name: string): void {
  if (!TOKEN.test(name)) throw new SipUnsafeValueError(name, 'bad_header_name', 'a header name must be a token');
}

export function checkHeader(name: string, value: string): void {
  checkHeaderName(name);
  checkLine(name, value);
}
