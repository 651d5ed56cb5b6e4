import { NetaxisError } from '../core/netaxis-error';

/** Who logs in: a user as `login@realm` (its password), or a netaxis API client (its id, its secret as password). */
export type TokenLogin = { kind: 'user'; username: string; realm: string; password: string } | { kind: 'client'; clientId: string; secret: string };

const MAX = 256;
// the login reaches the throttle's log line: no control, format or white-space characters
const LOGIN = /^([^@\s\p{C}]{1,128})@([A-Za-z0-9.-]{1,253})$/u;
const CLIENT_ID = /^[0-9a-f]{32}$/;

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (value === undefined || value === '') throw NetaxisError.invalid(name, `${name} is required`);
  if (typeof value !== 'string' || value.length > MAX) throw NetaxisError.invalid(name, `${name} must be a string of at most ${MAX} characters`);
  return value;
}

/** `{username, password}`: a username with `@` is a user's login at its tenant's realm; a 32-hex one an API client's id. */
export function parseTokenRequest(body: unknown): TokenLogin {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw NetaxisError.invalid('body', 'the body must be a JSON object {"username","password"}');
  const given = body as Record<string, unknown>;
  const username = text(given, 'username').trim();
  const password = text(given, 'password');
  if (CLIENT_ID.test(username)) return { kind: 'client', clientId: username, secret: password };
  const m = LOGIN.exec(username);
  if (m === null) throw NetaxisError.invalid('username', 'username must be a user\'s login@realm or an API client id');
  return { kind: 'user', username: (m[1] ?? '').toLowerCase(), realm: (m[2] ?? '').toLowerCase(), password };
}
