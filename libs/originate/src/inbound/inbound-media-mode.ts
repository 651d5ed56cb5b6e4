import type { Resource } from '@legwork/directory';
import type { MediaMode, RtpengineClient } from '../media/media.types';
import { AnchoredInboundPath, type InboundSdpPath, bypassPath } from './inbound-sdp-path';

/**
 * The media of a carrier's call, as an originate request's Media is chosen: the resource's `inbound.media`, else
 * `process` where this node has rtpengine and `bypass` where it has none. Undefined: `process` was asked of a node
 * without rtpengine, which refuses rather than bypassing.
 */
export function inboundMediaMode(resource: Resource, rtpengine: RtpengineClient | undefined): MediaMode | undefined {
  const wanted = resource.inbound?.media ?? (rtpengine !== undefined ? 'process' : 'bypass');
  return wanted === 'process' && rtpengine === undefined ? undefined : wanted;
}

export function inboundSdpPath(mode: MediaMode, rtpengine: RtpengineClient | undefined, callId: string): InboundSdpPath {
  return mode === 'process' && rtpengine !== undefined ? new AnchoredInboundPath(rtpengine, callId) : bypassPath();
}
