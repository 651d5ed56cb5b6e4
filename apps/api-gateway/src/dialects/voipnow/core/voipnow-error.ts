import { LegworkError } from '@legwork/common';

/** The seed's 400 codes, one per parameter (pc_callerid_invalid also when the app may not set caller ids). */
export const PHONE_CALL_CODES = [
  'extension_invalid', 'pc_duration_invalid', 'pc_source_invalid', 'pc_destination_invalid', 'pc_timeout_invalid',
  'pc_callerid_invalid', 'pc_transfer_invalid', 'pc_nonce_invalid',
] as const;
export type PhoneCallCode = (typeof PHONE_CALL_CODES)[number];

/** A failure in VoipNow's shape: `{"error":{"code","message"}}` with an HTTP status. */
export class VoipnowError extends LegworkError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    /** Extra response headers (WWW-Authenticate, Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message, { status });
  }

  static invalid(code: PhoneCallCode | 'user_invalid' | 'request_invalid' | 'pc_video_invalid' | 'pc_action_invalid' | 'pc_format_invalid', message: string): VoipnowError {
    return new VoipnowError(400, code, message);
  }

  static unauthorized(message: string): VoipnowError {
    // RFC 6750 §3: a bearer-protected resource names the scheme and why the token failed
    return new VoipnowError(401, 'invalid_token', message, { 'WWW-Authenticate': `Bearer realm="uapi", error="invalid_token", error_description="${message}"` });
  }

  static forbidden(message = 'this app may not act on this resource'): VoipnowError {
    return new VoipnowError(403, 'forbidden', message);
  }

  static notFound(what: string): VoipnowError {
    return new VoipnowError(404, 'not_found', `${what} not found`);
  }
}

/** The body every VoipNow error answers with. */
export function voipnowErrorBody(err: VoipnowError): { error: { code: string; message: string } } {
  return { error: { code: err.code, message: err.message } };
}
