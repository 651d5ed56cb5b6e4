import { channelAnswer, type ChannelAnswer } from './channel-answer.event';
import { channelBridge, type ChannelBridge } from './channel-bridge.event';
import { channelCreate, type ChannelCreate } from './channel-create.event';
import { channelDestroy, type ChannelDestroy } from './channel-destroy.event';
import { channelHold, type ChannelHold } from './channel-hold.event';
import { channelProgress, type ChannelProgress } from './channel-progress.event';
import { channelUnbridge, type ChannelUnbridge } from './channel-unbridge.event';
import { channelUnhold, type ChannelUnhold } from './channel-unhold.event';
import { originateFailed, type OriginateFailed } from './originate-failed.event';
import { deviceRegistered, type DeviceRegistered } from './device-registered.event';
import { pushFailed, type PushFailed } from './push-failed.event';
import { pushSent, type PushSent } from './push-sent.event';
import { recordStart, type RecordStart } from './record-start.event';
import { recordStop, type RecordStop } from './record-stop.event';
import { recordPause, type RecordPause } from './record-pause.event';
import { recordResume, type RecordResume } from './record-resume.event';
import { recordingSaved, type RecordingSaved } from './recording-saved.event';
import { recordingFailed, type RecordingFailed } from './recording-failed.event';

/** Every call event by its Event-Name. */
export const callEvents = {
  CHANNEL_CREATE: channelCreate,
  PUSH_SENT: pushSent,
  PUSH_FAILED: pushFailed,
  DEVICE_REGISTERED: deviceRegistered,
  CHANNEL_PROGRESS: channelProgress,
  CHANNEL_ANSWER: channelAnswer,
  CHANNEL_BRIDGE: channelBridge,
  CHANNEL_UNBRIDGE: channelUnbridge,
  CHANNEL_HOLD: channelHold,
  CHANNEL_UNHOLD: channelUnhold,
  RECORD_START: recordStart,
  RECORD_PAUSE: recordPause,
  RECORD_RESUME: recordResume,
  RECORD_STOP: recordStop,
  RECORDING_SAVED: recordingSaved,
  RECORDING_FAILED: recordingFailed,
  CHANNEL_DESTROY: channelDestroy,
  originate_failed: originateFailed,
} as const;

export type CallEventName = keyof typeof callEvents;
export const CALL_EVENT_NAMES = Object.keys(callEvents) as CallEventName[];

/** Discriminated on `Event-Name`. */
export type CallEvent =
  | ChannelCreate
  | PushSent
  | PushFailed
  | DeviceRegistered
  | ChannelProgress
  | ChannelAnswer
  | ChannelBridge
  | ChannelUnbridge
  | ChannelHold
  | ChannelUnhold
  | RecordStart
  | RecordPause
  | RecordResume
  | RecordStop
  | RecordingSaved
  | RecordingFailed
  | ChannelDestroy
  | OriginateFailed;

export function isCallEventName(name: string): name is CallEventName {
  return Object.prototype.hasOwnProperty.call(callEvents, name);
}
