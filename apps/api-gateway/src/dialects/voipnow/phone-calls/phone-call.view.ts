import type { CallView } from '@legwork/originate-client';
import type { PhoneCallRecord } from './phone-call.records';

/** One leg as GET link.self reads it: live from call-state, or from its CDR once it is gone there. */
export interface LegSnapshot {
  callId: string;
  state: string;
  peerCallId?: string;
  createdAt?: number;
  answeredAt?: number;
  endedAt?: number;
  hangupCause?: string;
}

export function fromCallView(v: CallView): LegSnapshot {
  return {
    callId: v.callId,
    state: typeof v.state === 'string' ? v.state : 'unknown',
    ...(typeof v.peerCallId === 'string' ? { peerCallId: v.peerCallId } : {}),
    ...(typeof v.createdAt === 'number' ? { createdAt: v.createdAt } : {}),
    ...(typeof v.answeredAt === 'number' ? { answeredAt: v.answeredAt } : {}),
    ...(typeof v.endedAt === 'number' ? { endedAt: v.endedAt } : {}),
    ...(typeof v.hangupCause === 'string' ? { hangupCause: v.hangupCause } : {}),
  };
}

const GREGORIAN_OFFSET_S = 62_167_219_200;

/** A CDR (Kazoo's normalized CHANNEL_DESTROY) as a leg that has ended. */
export function fromCdr(callId: string, doc: Record<string, unknown>): LegSnapshot {
  const seconds = (k: string): number | undefined => (typeof doc[k] === 'number' ? (doc[k] as number) : typeof doc[k] === 'string' && /^\d+$/.test(doc[k] as string) ? Number(doc[k]) : undefined);
  const ended = seconds('timestamp');
  const duration = seconds('duration_seconds');
  const billed = seconds('billing_seconds');
  const endedAt = ended === undefined ? undefined : (ended - GREGORIAN_OFFSET_S) * 1000;
  return {
    callId,
    state: 'ended',
    ...(typeof doc['other_leg_call_id'] === 'string' ? { peerCallId: doc['other_leg_call_id'] } : {}),
    ...(endedAt !== undefined && duration !== undefined ? { createdAt: endedAt - duration * 1000 } : {}),
    ...(endedAt !== undefined && billed !== undefined && billed > 0 ? { answeredAt: endedAt - billed * 1000 } : {}),
    ...(endedAt !== undefined ? { endedAt } : {}),
    ...(typeof doc['hangup_cause'] === 'string' ? { hangupCause: doc['hangup_cause'] } : {}),
  };
}

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
const ANSWERED = new Set(['answered', 'bridged', 'held', 'unbridged']);

function partyView(number: string, leg: LegSnapshot | undefined): Record<string, unknown> {
  return { number, state: leg?.state ?? 'unknown', ...(leg !== undefined ? { callId: leg.callId } : {}), ...(leg?.hangupCause !== undefined ? { hangupCause: leg.hangupCause } : {}) };
}

/**
 * The PhoneCall GET link.self answers: each source with its state, the destination, which source answered, the
 * times and, once ended, the hangup cause. `sourceLegs` follow record.legs; `destinationLeg` is the answered leg's peer.
 */
export function phoneCallView(record: PhoneCallRecord, link: string, sourceLegs: Array<LegSnapshot | undefined>, destinationLeg: LegSnapshot | undefined): Record<string, unknown> {
  const answered = sourceLegs.find((l) => l !== undefined && (l.answeredAt !== undefined || ANSWERED.has(l.state)));
  const answeredIndex = answered === undefined ? -1 : sourceLegs.indexOf(answered);
  const legs = [...sourceLegs, destinationLeg].filter((l): l is LegSnapshot => l !== undefined);
  const live = legs.some((l) => l.state !== 'ended');
  const ended = !live && legs.length > 0;
  const status = ended ? 'ended' : destinationLeg !== undefined && ANSWERED.has(destinationLeg.state) ? 'connected' : answered !== undefined ? 'calling_destination' : 'ringing';
  const endedAt = ended ? Math.max(...legs.map((l) => l.endedAt ?? 0)) : undefined;
  const cause = (answered ?? sourceLegs.find((l) => l?.hangupCause !== undefined))?.hangupCause;
  const view: Record<string, unknown> = {
    id: record.id,
    extension: record.extension,
    status,
    source: record.legs.map((l, i) => partyView(l.source, sourceLegs[i])),
    destination: partyView(record.destination, destinationLeg),
    answeredSource: answeredIndex === -1 ? null : (record.legs[answeredIndex]?.source ?? null),
    created: iso(record.createdAt),
    answered: iso(answered?.answeredAt),
    connected: iso(destinationLeg?.answeredAt),
    ended: endedAt !== undefined && endedAt > 0 ? iso(endedAt) : undefined,
    ...(ended && cause !== undefined ? { hangupCause: cause } : {}),
    link: { self: link },
  };
  return Object.fromEntries(Object.entries(view).filter(([, v]) => v !== undefined));
}
