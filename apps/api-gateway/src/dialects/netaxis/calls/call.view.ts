import type { CallView } from '@legwork/originate-client';

/** Custom-Application-Vars the dialect puts on its click-to-dial legs, read back by GET. */
export const CAV = {
  trackingId: 'Netaxis-External-Tracking-ID',
  personality: 'Netaxis-Personality',
  remoteParty: 'Netaxis-Remote-Party',
  callType: 'Netaxis-Call-Type',
  appearance: 'Netaxis-Appearance',
} as const;

/** What a call's view needs besides the leg: its AOR, its rank among the user's calls, its URI. */
export interface CallContext {
  addressOfRecord: string;
  /** The remote party's leg, when the call is connected. */
  peer?: CallView;
  /** Rank among the user's calls (1-based), for legs the dialect did not number itself. */
  rank: number;
  uri: string;
}

/**
 * The seed's Call State of the user's half (`leg`), its remote party's leg being `peer`: the user holds the remote
 * party (`local` hold on the peer's leg), or its phone held the call itself (`remote` on its own leg): Held; the remote
 * party held it (`remote` on the peer's leg): Remote Held.
 */
export function callState(leg: Pick<CallView, 'state' | 'hold'>, peer?: Pick<CallView, 'state' | 'hold'>): string {
  switch (leg.state) {
    case 'new':
    case 'early':
    case 'ringing':
      return 'Alerting';
    case 'ended':
      return 'Released';
    default:
      if (peer?.hold === 'local' || peer?.hold === 'both' || leg.hold === 'remote' || leg.hold === 'both') return 'Held';
      if (peer?.hold === 'remote') return 'Remote Held';
      return 'Active';
  }
}

/** As the seed writes times: UTC, no zone, microseconds (`2021-10-29T11:45:14.535000`). */
export function seedTime(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString().replace('Z', '000');
}

/**
 * recorded, recordingState and allowedRecordingControls (Call Recording State / Control) from the leg's recording:
 * an answered call may be recorded (`record`), then `pause-stop`, then `resume-stop`; a stopped one may record again.
 */
export function recordingOf(recording: unknown, answered: boolean): { recorded: boolean; recordingState?: string; allowedRecordingControls: string } {
  if (recording === 'recording') return { recorded: true, recordingState: 'Started', allowedRecordingControls: 'pause-stop' };
  if (recording === 'paused') return { recorded: true, recordingState: 'Paused', allowedRecordingControls: 'resume-stop' };
  // the seed: once failed, a new recording cannot be started
  if (recording === 'failed') return { recorded: false, recordingState: 'Failed', allowedRecordingControls: 'none' };
  return { recorded: false, allowedRecordingControls: answered ? 'record' : 'none' };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Every attribute of the seed's Call Attributes table for one of the user's legs (`uri` only in lists). */
export function callDetails(leg: CallView, ctx: CallContext, opts: { list: boolean }): Record<string, unknown> {
  const cav = leg.customApplicationVars ?? {};
  const appearance = Number(cav[CAV.appearance]);
  const view: Record<string, unknown> = {
    callId: leg.callId,
    ...(opts.list ? { inConference: false } : {}),
    externalTrackingId: str(cav[CAV.trackingId]) ?? leg.callId,
    personality: str(cav[CAV.personality]) ?? 'Originator',
    state: callState(leg, ctx.peer),
    remoteParty: { address: str(cav[CAV.remoteParty]) ?? str(leg.callerIdNumber) ?? 'unknown', callType: str(cav[CAV.callType]) ?? 'Unknown' },
    endpoint: { addressOfRecord: ctx.addressOfRecord },
    appearance: Number.isInteger(appearance) && appearance > 0 ? appearance : ctx.rank,
    startTime: seedTime(leg.createdAt),
    answerTime: seedTime(leg.answeredAt),
    ...(opts.list ? { uri: ctx.uri } : {}),
    ...recordingOf(leg.recording, leg.answeredAt !== undefined && leg.state !== 'ended'),
  };
  return Object.fromEntries(Object.entries(view).filter(([, v]) => v !== undefined));
}
