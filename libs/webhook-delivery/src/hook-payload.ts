import { normalize } from '@legwork/contracts';

/** Envelope headers that describe the bus hop, not the call; Kazoo's hook payloads leave them out. */
const ENVELOPE_KEYS = ['app_name', 'app_version', 'event_category', 'event_name', 'msg_id', 'server_id', 'node'];

/** Kazoo's hook event: the call event normalized, `hook_event`, `account_id`, and the hook's custom_data on top. */
export function hookPayload(event: Record<string, unknown>, accountId: string, customData: Record<string, string>): Record<string, unknown> {
  const normalized = normalize(event);
  for (const key of ENVELOPE_KEYS) delete normalized[key];
  const name = String(event['Event-Name'] ?? '');
  return { ...normalized, account_id: accountId, hook_event: name.toLowerCase(), ...customData };
}

/** `a[b]=c` form encoding (what form-data hooks and GET query strings carry), nested objects flattened. */
export function formEncode(payload: Record<string, unknown>): string {
  const params = new URLSearchParams();
  const add = (key: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) value.forEach((v, i) => add(`${key}[${i}]`, v));
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v);
    else params.append(key, String(value));
  };
  for (const [k, v] of Object.entries(payload)) add(k, v);
  return params.toString();
}
