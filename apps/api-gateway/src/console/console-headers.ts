/** What the console's page may load and talk to: its own files and API, and the event stream's socket. */
export function consoleCsp(events: { url?: string; port: number }): string {
  const socket = events.url !== undefined ? new URL(events.url).origin : `ws://*:${events.port} wss://*:${events.port}`;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
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
