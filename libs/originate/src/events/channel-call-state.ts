import type { CallRecord, LegState } from '@legwork/call-state';
import type { ChannelCallState } from '@legwork/contracts';

/** The FreeSWITCH call state a leg in this state has. */
const STATE_OF_LEG: Record<LegState, ChannelCallState> = {
  new: 'DOWN',
  ringing: 'RINGING',
  early: 'EARLY',
  answered: 'ACTIVE',
  bridged: 'ACTIVE',
  held: 'HELD',
  ended: 'HANGUP',
};

/** Before-answer states a leg can be answered from. */
export type PreAnswerState = Extract<ChannelCallState, 'DOWN' | 'RINGING' | 'EARLY'>;

/**
 * `Channel-Call-State` as FreeSWITCH reports it with each event (switch_channel.c fires the event
 * before it moves the call state): CHANNEL_PROGRESS, sent on a leg's first provisional, still says
 * DOWN; CHANNEL_ANSWER carries the state it was answered from (DOWN, RINGING or EARLY).
 */
export function channelCallState(eventName: string, record: CallRecord, preAnswer: PreAnswerState): ChannelCallState {
  switch (eventName) {
    case 'CHANNEL_CREATE':
    case 'CHANNEL_PROGRESS':
      return 'DOWN';
    case 'CHANNEL_ANSWER':
      return preAnswer;
    case 'CHANNEL_BRIDGE':
    case 'CHANNEL_UNBRIDGE':
      return 'ACTIVE';
    case 'CHANNEL_HOLD':
      return 'HELD';
    case 'CHANNEL_UNHOLD':
      return 'UNHELD';
    case 'CHANNEL_DESTROY':
      return 'HANGUP';
    default:
      return STATE_OF_LEG[record.state] ?? 'ACTIVE';
  }
}

/** Most legs ring for seconds; this only bounds the memory if events of some legs never end. */
const MAX_TRACKED = 20_000;

/**
 * What each leg was answered from. A leg's record says `answered` by the time CHANNEL_ANSWER is built,
 * so the state of its CHANNEL_PROGRESS (ringing after a 180, early after a 183) is remembered here.
 */
export class PreAnswerStates {
  private readonly seen = new Map<string, PreAnswerState>();

  /** Called for every event of a leg; returns the state CHANNEL_ANSWER would carry now. */
  observe(eventName: string, record: CallRecord): PreAnswerState {
    const known = this.seen.get(record.callId);
    if (eventName === 'CHANNEL_PROGRESS' && (record.state === 'ringing' || record.state === 'early')) {
      this.remember(record.callId, STATE_OF_LEG[record.state] as PreAnswerState);
    }
    if (eventName === 'CHANNEL_ANSWER' || eventName === 'CHANNEL_DESTROY') this.seen.delete(record.callId);
    return known ?? (record.ringingAt !== undefined ? 'RINGING' : 'DOWN');
  }

  get size(): number {
    return this.seen.size;
  }

  private remember(callId: string, state: PreAnswerState): void {
    this.seen.delete(callId);
    this.seen.set(callId, state);
    if (this.seen.size > MAX_TRACKED) this.seen.delete(this.seen.keys().next().value as string);
  }
}
