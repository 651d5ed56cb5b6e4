import { z } from 'zod';
import { CallStateError } from './call-state.errors';
import type { LegState } from './call-state.machine';

export const RECORDING_STATES = ['off', 'recording', 'paused', 'stopped', 'failed'] as const;
export type RecordingState = (typeof RECORDING_STATES)[number];

/**
 * Hold is an attribute of a leg, whatever its state: `local` when the SDP we gave the leg holds its party
 * (sendonly/inactive toward it), `remote` when its party offered hold itself, `both`, or `none`.
 */
export const HOLD_STATES = ['none', 'local', 'remote', 'both'] as const;
export type HoldState = (typeof HOLD_STATES)[number];

const id = z.string().min(1).max(256);
const jsonValue = z.json();

export const newCallSchema = z.object({
  callId: id,
  accountId: id,
  nodeId: id,
  leg: z.enum(['a', 'b']),
  peerCallId: id.optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  callerIdName: z.string().optional(),
  callerIdNumber: z.string().optional(),
  calleeIdName: z.string().optional(),
  calleeIdNumber: z.string().optional(),
  recording: z.enum(RECORDING_STATES).optional(),
  cav: z.record(z.string().min(1), jsonValue).optional(),
  dialect: z.record(z.string().min(1), z.string()).optional(),
  /** The device the leg was placed for, and its owner: who may see and end the call. Set once at create. */
  endpointId: id.optional(),
  ownerId: id.optional(),
  /** The call this leg's events are numbered under (Event-Sequence): its first leg's id. Set once at create. */
  sequenceId: id.optional(),
});
export type NewCall = z.infer<typeof newCallSchema>;

/** Partial update: `null` removes an optional field; `cav` and `dialect` entries merge, `null` deletes one. */
export const callPatchSchema = z.object({
  peerCallId: id.nullable().optional(),
  from: z.string().nullable().optional(),
  to: z.string().nullable().optional(),
  callerIdName: z.string().nullable().optional(),
  callerIdNumber: z.string().nullable().optional(),
  calleeIdName: z.string().nullable().optional(),
  calleeIdNumber: z.string().nullable().optional(),
  recording: z.enum(RECORDING_STATES).optional(),
  hold: z.enum(HOLD_STATES).optional(),
  hangupCause: z.string().nullable().optional(),
  cav: z.record(z.string().min(1), jsonValue.nullable()).optional(),
  dialect: z.record(z.string().min(1), z.string().nullable()).optional(),
});
export type CallPatch = z.infer<typeof callPatchSchema>;

export type JsonValue = z.infer<typeof jsonValue>;

export interface CallRecord {
  callId: string;
  accountId: string;
  nodeId: string;
  leg: 'a' | 'b';
  peerCallId?: string;
  state: LegState;
  from?: string;
  to?: string;
  callerIdName?: string;
  callerIdNumber?: string;
  calleeIdName?: string;
  calleeIdNumber?: string;
  recording: RecordingState;
  /** Absent means `none`. */
  hold?: HoldState;
  hangupCause?: string;
  endpointId?: string;
  ownerId?: string;
  sequenceId?: string;
  cav: Record<string, JsonValue>;
  dialect: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  ringingAt?: number;
  answeredAt?: number;
  bridgedAt?: number;
  endedAt?: number;
}

/** `ended` is false when the leg had already ended: exactly one caller sees true. */
export interface EndResult {
  record: CallRecord;
  ended: boolean;
}

export function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new CallStateError('invalid_input', `invalid ${what}: ${z.prettifyError(parsed.error)}`, { issues: parsed.error.issues });
  }
  return parsed.data;
}
