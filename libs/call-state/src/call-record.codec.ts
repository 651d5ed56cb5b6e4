import { type CallPatch, type CallRecord, HOLD_STATES, type HoldState, type JsonValue, type NewCall, type RecordingState } from './call-record';
import { isLegState } from './call-state.machine';

/** Flat string hash: the shape a call has in Redis (and in the in-process twin). */
export type CallHash = Record<string, string>;

const CAV = 'cav:';
const DIALECT = 'd:';
const TEXT_FIELDS = ['peerCallId', 'from', 'to', 'callerIdName', 'callerIdNumber', 'calleeIdName', 'calleeIdNumber', 'hangupCause'] as const;
const TIME_FIELDS = ['ringingAt', 'answeredAt', 'bridgedAt', 'endedAt'] as const;
/** Written at create only: no patch moves a call to another owner. */
const IDENTITY_FIELDS = ['endpointId', 'ownerId', 'sequenceId'] as const;

export function encodeNewCall(input: NewCall, now: number): CallHash {
  const hash: CallHash = {
    callId: input.callId,
    accountId: input.accountId,
    nodeId: input.nodeId,
    leg: input.leg,
    state: 'new',
    recording: input.recording ?? 'off',
    createdAt: String(now),
    updatedAt: String(now),
  };
  for (const field of TEXT_FIELDS) {
    const value = field === 'hangupCause' ? undefined : input[field];
    if (value !== undefined) hash[field] = value;
  }
  for (const field of IDENTITY_FIELDS) {
    const value = input[field];
    if (value !== undefined) hash[field] = value;
  }
  for (const [k, v] of Object.entries(input.cav ?? {})) hash[CAV + k] = JSON.stringify(v);
  for (const [k, v] of Object.entries(input.dialect ?? {})) hash[DIALECT + k] = v;
  return hash;
}

/** Fields to set and delete so a hash reflects a patch; merging happens field by field. */
export function encodePatch(patch: CallPatch, now: number): { set: CallHash; del: string[] } {
  const set: CallHash = { updatedAt: String(now) };
  const del: string[] = [];
  for (const field of TEXT_FIELDS) {
    const value = patch[field];
    if (value === null) del.push(field);
    else if (value !== undefined) set[field] = value;
  }
  if (patch.recording !== undefined) set.recording = patch.recording;
  if (patch.hold === 'none') del.push('hold');
  else if (patch.hold !== undefined) set.hold = patch.hold;
  for (const [k, v] of Object.entries(patch.cav ?? {})) {
    if (v === null) del.push(CAV + k);
    else set[CAV + k] = JSON.stringify(v);
  }
  for (const [k, v] of Object.entries(patch.dialect ?? {})) {
    if (v === null) del.push(DIALECT + k);
    else set[DIALECT + k] = v;
  }
  return { set, del };
}

/** Null for an empty or foreign hash, so a half-written key never masquerades as a call. */
export function decodeCall(hash: CallHash): CallRecord | null {
  const { callId, accountId, nodeId, leg, state } = hash;
  if (!callId || !accountId || !nodeId || (leg !== 'a' && leg !== 'b') || !state || !isLegState(state)) return null;
  const record: CallRecord = {
    callId,
    accountId,
    nodeId,
    leg,
    state,
    recording: (hash.recording as RecordingState | undefined) ?? 'off',
    cav: {},
    dialect: {},
    createdAt: Number(hash.createdAt),
    updatedAt: Number(hash.updatedAt ?? hash.createdAt),
  };
  for (const field of TEXT_FIELDS) if (hash[field] !== undefined) record[field] = hash[field];
  if ((HOLD_STATES as readonly string[]).includes(hash.hold ?? '')) record.hold = hash.hold as HoldState;
  for (const field of IDENTITY_FIELDS) if (hash[field] !== undefined) record[field] = hash[field];
  for (const field of TIME_FIELDS) if (hash[field] !== undefined) record[field] = Number(hash[field]);
  // for-in over the plain hash: a record is decoded on every store reply, and entries() copies every pair
  for (const k in hash) {
    if (k.startsWith(CAV)) record.cav[k.slice(CAV.length)] = parseJson(hash[k]);
    else if (k.startsWith(DIALECT)) record.dialect[k.slice(DIALECT.length)] = hash[k];
  }
  return record;
}

function parseJson(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

export function flatten(hash: CallHash): string[] {
  const flat: string[] = [];
  for (const k in hash) flat.push(k, hash[k]);
  return flat;
}
