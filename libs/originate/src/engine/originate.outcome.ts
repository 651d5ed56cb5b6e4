import type { Bus } from '@legwork/bus';
import type { CallStore } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import type { Directory } from '@legwork/directory';
import type { SipStack } from '@legwork/sip';
import type { Call } from '../call/call';
import type { CallEventNotifier } from '../events/call-event.notifier';
import type { RtpengineClient } from '../media/media.types';
import type { NumberPlan } from '../routing/e164';
import type { PushWake } from '../push/push-wake';
import type { EndpointResolver } from './originate.types';
import type { RecorderOptions } from '../recording/call-recorder';
import type { RepliesOptions } from './originate.replies';

export type OriginateOutcome =
  | { ok: true; callId: string; otherLegCallId?: string }
  | { ok: false; cause: string; reason: string };

export interface OriginateEngineOptions {
  bus: Bus;
  calls: CallStore;
  directory: Directory;
  sip: SipStack;
  resolver: EndpointResolver;
  nodeId: string;
  appName: string;
  appVersion: string;
  logger: Logger;
  media?: {
    rtpengine?: RtpengineClient;
    /** Music on hold: a file on rtpengine's host; silence when unset. */
    holdMusicFile?: string;
    /** Call recording (Media: process calls): where the WAVs go; unset, recording is disabled. */
    recording?: RecorderOptions;
  };
  /** Our Contact URI: its user part names our Contact user (its host/port/transport are those of each INVITE's flow) and its host the default From domain. */
  sipContact: string;
  /** Host part of the From of our INVITEs; default the Contact's host. */
  fromDomain?: string;
  /** This node's call control queue; default `callctl.<nodeId>`. */
  controlQueue?: string;
  /** How dialled numbers become E.164 for outbound rules: the resolver's plan (default country code 1, as the resolver's). */
  numberPlan?: NumberPlan;
  /** Longest any answered call may last, in seconds (ALLOTTED_TIMEOUT); a request's Max-Call-Duration can only shorten it. 0 or unset: no limit. */
  maxCallDurationSeconds?: number;
  /** RFC 8599 wake-up of devices with push parameters and no live binding; without it such devices are not rung. */
  pushWake?: PushWake;
}

/** What a session needs from its engine. */
export interface SessionHost {
  readonly opts: OriginateEngineOptions;
  readonly notifier: CallEventNotifier;
  readonly controlQueue: string;
  /** Where and as whom replies to requesters go: one object for every request of the node. */
  readonly replyOptions: RepliesOptions;
  readonly fromDomain: string;
  /** User part of the Contact of our INVITEs. */
  readonly contactUser: string;
  /** A new Call for a request, known to the engine until it is over; `label` names it until its first leg exists. */
  openCall(label: string): Call;
  /** The live call any of whose legs has this id. */
  findCall(callId: string): Call | undefined;
}
