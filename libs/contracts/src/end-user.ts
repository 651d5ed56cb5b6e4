/**
 * Who is on the far end of a click-to-call (Basix `end_user`: id, name, organization, avatar, prefecture, …).
 * Channel variables are scalars, so it travels as one JSON string under this key and is shown decoded
 * as `end_user` in webhook payloads and websocket frames.
 */
export const END_USER_CHANNEL_VAR = 'End-User';

const MAX_JSON = 4096;

/** The channel variable's value for an end_user. */
export function endUserChannelVar(endUser: Readonly<Record<string, string>>): string {
  return JSON.stringify(endUser);
}

/** The end_user a call's channel variables carry; undefined when none, or when the value is not an object of strings. */
export function endUserOf(ccv: Readonly<Record<string, unknown>> | undefined): Record<string, string> | undefined {
  const raw = ccv?.[END_USER_CHANNEL_VAR];
  if (typeof raw !== 'string' || raw.length > MAX_JSON) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed as Record<string, unknown>);
  return entries.every(([, v]) => typeof v === 'string') ? (Object.fromEntries(entries) as Record<string, string>) : undefined;
}
