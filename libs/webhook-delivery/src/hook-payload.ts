import { endUserOf, normalize } from '@legwork/contracts';

/** Kazoo's default `call_command.reserved_ccv_keys` (kapps_call_command_types.hrl DEFAULT_CCV_KEYS): kept out of `custom_channel_vars`. */
export const RESERVED_CCV_KEYS: ReadonlySet<string> = new Set([
  'Account-ID', 'Account-Name', 'Account-Realm', 'Authorizing-ID', 'Authorizing-Type', 'Auto-Answer', 'Call-Forward',
  'Call-Interaction-ID', 'Ecallmgr-Node', 'Call-Waiting-Disabled', 'Confirm-Cancel-Timeout', 'Confirm-File', 'Confirm-Key',
  'Fax-Enabled', 'Fetch-ID', 'Loopback-Bowout', 'Media-Encryption-Enforce-Security', 'Media-Webrtc', 'Owner-ID', 'Presence-ID',
  'RTCP-MUX', 'Realm', 'Require-Ignore-Early-Media', 'Retain-CID', 'SIP-Invite-Domain', 'Simplify-Loopback', 'Username',
]);

/** Keys of `custom_data` Kazoo never merges into a payload (webhooks_util:fire_hook/2). */
const UNMERGED_CUSTOM_DATA = new Set(['type', 'action']);

type Json = Record<string, unknown>;

const objectAt = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
/** kz_term:is_true/1: true and "true" only. */
const isTrue = (v: unknown): boolean => v === true || v === 'true';
const integer = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

/** `hook_event` of a call event: Kazoo's channel hook names are the Event-Name lower-cased. */
export function hookEventName(event: Json): string {
  const name = String(event['Event-Name'] ?? '');
  return name === 'CHANNEL_DISCONNECTED' ? 'channel_destroy' : name.toLowerCase();
}

/** Whether the event belongs to an internal (loopback) leg, which `include_internal_legs: false` hooks skip. */
export function isInternalLeg(event: Json): boolean {
  const name = event['Channel-Name'];
  return (typeof name === 'string' && name.startsWith('loopback/')) || isTrue(event['Channel-Is-Loopback']);
}

/**
 * Kazoo's curated hook event (webhooks_channel_util:base_hook_event/3 and format_event/3): these fields and
 * nothing else, absent ones left out. `resellerId` is the account's reseller (Legwork: its tree's root).
 */
export function hookEvent(event: Json, accountId: string, resellerId?: string): Json {
  const ccv = objectAt(event['Custom-Channel-Vars']);
  const wasGlobal = isTrue(ccv['Global-Resource']);
  const hook = hookEventName(event);
  const fields: Json = {
    account_id: ccv['Account-ID'] ?? accountId,
    authorizing_id: ccv['Authorizing-ID'],
    authorizing_type: ccv['Authorizing-Type'],
    call_direction: event['Call-Direction'],
    call_forwarded: ccv['Call-Forward'] === undefined ? undefined : isTrue(ccv['Call-Forward']),
    call_id: event['Call-ID'],
    callee_id_name: event['Callee-ID-Name'],
    callee_id_number: event['Callee-ID-Number'],
    caller_id_name: event['Caller-ID-Name'],
    caller_id_number: event['Caller-ID-Number'],
    // The caller's own variables, in the spelling it gave them (not normalized).
    custom_channel_vars: Object.fromEntries(Object.entries(ccv).filter(([k]) => !RESERVED_CCV_KEYS.has(k))),
    custom_application_vars: event['Custom-Application-Vars'],
    emergency_resource_used: isTrue(ccv['Emergency-Resource']),
    from: event['From'],
    inception: event['Inception'],
    local_resource_id: wasGlobal ? undefined : ccv['Resource-ID'],
    local_resource_used: !wasGlobal,
    is_internal_leg: isTrue(event['Channel-Is-Loopback']),
    other_leg_call_id: event['Other-Leg-Call-ID'],
    owner_id: ccv['Owner-ID'],
    request: event['Request'],
    reseller_id: resellerId,
    timestamp: integer(event['Timestamp']),
    // Legwork: the receiver orders and de-duplicates by these (the sequence counts the call origination_call_id names)
    event_sequence: integer(event['Event-Sequence']),
    origination_call_id: event['Origination-Call-ID'],
    timestamp_ms: integer(event['Timestamp-Ms']),
    to: event['To'],
    hook_event: hook,
    // Legwork: who the far end is (Basix end_user), decoded from its channel variable for CTI receivers
    end_user: endUserOf(ccv),
    ...extras(hook, event, ccv),
  };
  return present(fields);
}

/** The fields that hold a value, in their order: one pass over keys this file names (never a caller's, so no `__proto__`). */
function present(fields: Json): Json {
  const out: Json = {};
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}

function extras(hook: string, event: Json, ccv: Json): Json {
  if (hook === 'channel_bridge') return { original_number: ccv['Original-Number'], other_leg_destination_number: event['Other-Leg-Destination-Number'] };
  if (hook === 'channel_destroy') {
    return {
      hangup_cause: event['Hangup-Cause'],
      hangup_code: event['Hangup-Code'],
      duration_seconds: integer(event['Duration-Seconds']),
      ringing_seconds: integer(event['Ringing-Seconds']),
      billing_seconds: integer(event['Billing-Seconds']),
      push_provider: event['Push-Provider'],
      push_wake_ms: integer(event['Push-Wake-Ms']),
    };
  }
  // Legwork's push wake-up hooks: the device's push parameters and what happened to the push
  if (hook === 'push_sent' || hook === 'push_failed' || hook === 'device_registered') {
    return {
      push_provider: event['Push-Provider'], push_prid: event['Push-PRID'], push_param: event['Push-Param'], push_kind: event['Push-Kind'], push_reason: event['Push-Reason'],
      push_status: integer(event['Push-Status']), push_error: event['Push-Error'], contact: event['Contact'], registrar_node: event['Registrar-Node'], push_wake_ms: integer(event['Push-Wake-Ms']),
    };
  }
  // Legwork's own hook: what failed, and the request that did.
  if (hook === 'originate_failed') {
    return { error_message: event['Error-Message'], error_code: event['Error-Code'], outbound_call_ids: event['Outbound-Call-IDs'], request: event['Request'] === undefined ? undefined : normalize(objectAt(event['Request'])) };
  }
  return {};
}

/** What a hook receives: the curated event with the hook's `custom_data` (minus `type` and `action`) on top. */
export function hookPayload(event: Json, accountId: string, customData: Record<string, string>, resellerId?: string): Json {
  return withCustomData(hookEvent(event, accountId, resellerId), customData);
}

/** A curated hook event (hookEvent's) with the hook's `custom_data` on top: one event fanned out to many hooks is curated once. */
export function withCustomData(curated: Json, customData: Record<string, string>): Json {
  const merged = Object.fromEntries(Object.entries(customData).filter(([k]) => !UNMERGED_CUSTOM_DATA.has(k)));
  return { ...curated, ...merged };
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
