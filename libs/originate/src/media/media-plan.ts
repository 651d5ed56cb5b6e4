import type { OriginateRequest } from '@legwork/contracts';
import { Refusal } from '../engine/refusal';
import { BypassMediaSession } from './bypass.media';
import type { MediaMode, MediaSession, RtpengineClient } from './media.types';
import { NoVideoMediaSession } from './no-video.media';
import { ProcessMediaSession } from './process.media';
import { SdpOrigin } from './sdp-rewrite';

/** The request's Media as this node can serve it: `process` without rtpengine is refused, never bypassed. */
export function mediaModeOf(req: OriginateRequest, rtpengine: RtpengineClient | undefined): MediaMode {
  const wanted = req.Media ?? 'bypass';
  if (wanted === 'process' && rtpengine === undefined) throw new Refusal('MEDIA_SERVER_UNAVAILABLE', 'Media: process needs rtpengine and none is configured');
  return wanted === 'bypass' || rtpengine === undefined ? 'bypass' : 'process';
}

/** The media plan of one A-leg candidate: its own rtpengine session (process) or its own origin (bypass); `video: false` refuses video. */
export function newMediaSession(mode: MediaMode, rtpengine: RtpengineClient | undefined, callId: string, fromDomain: string, video = true): MediaSession {
  const plan = mode === 'process' && rtpengine !== undefined ? new ProcessMediaSession(rtpengine, callId) : new BypassMediaSession(new SdpOrigin(fromDomain));
  return video ? plan : new NoVideoMediaSession(plan);
}
