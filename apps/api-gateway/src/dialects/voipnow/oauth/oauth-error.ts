/** RFC 6749 §5.2 error codes the token endpoint answers. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'slow_down';

/** A token endpoint failure: `{"error": code, "error_description"}` as OAuth clients parse it. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }

  static invalidRequest(description: string): OAuthError {
    return new OAuthError(400, 'invalid_request', description);
  }

  static invalidClient(basic: boolean): OAuthError {
    // RFC 6749 §5.2: a client that authenticated with HTTP Basic is told the scheme to retry with
    return new OAuthError(401, 'invalid_client', 'client authentication failed', basic ? { 'WWW-Authenticate': 'Basic realm="oauth"' } : {});
  }

  body(): { error: string; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}
