/**
 * What the console's page may load and talk to: its own files and API, the event stream's and the softphone's sockets,
 * and audio from blob: URLs only (recordings are fetched with the token, since an <audio src> cannot send headers).
 */
export function consoleCsp(sockets: ReadonlyArray<{ url?: string; port: number }>): string {
  const socket = sockets.map((s) => (s.url !== undefined ? new URL(s.url).origin : `ws://*:${s.port} wss://*:${s.port}`)).join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "media-src blob:",
    `connect-src 'self' ${socket}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every console answer, files and errors alike. */
export function consoleHeaders(csp: string): Record<string, string> {
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
}
