import { type SipTarget, mediaSummary } from '@legwork/sip';
import type { NgDict } from './bencode.codec';

/** A browser's audio: ICE, DTLS-SRTP, feedback profile (`UDP/TLS/RTP/SAVPF`, or `RTP/SAVPF` from older stacks). */
export function isWebRtcSdp(sdp: string): boolean {
  return /SAVPF$/i.test(mediaSummary(sdp)?.protocol ?? '');
}

/** A device reached over WebSocket is a browser: what it is offered must be WebRTC (it refuses plain RTP/AVP). */
export function isWebRtcTarget(target: SipTarget): boolean {
  return target.protocol === 'ws' || target.protocol === 'wss';
}

/** Codecs a WebRTC side is steered to, so the plain-RTP side (a carrier) gets one it surely has: no transcoding. */
export const WEBRTC_BRIDGE_CODECS = ['PCMU', 'PCMA'];

/** What rtpengine needs to write an SDP for a side: a browser gets ICE and DTLS-SRTP with rtcp-mux, a phone plain RTP. */
export interface SideMedia {
  ice: 'remove' | 'force';
  extra: NgDict;
}

export function mediaToward(webrtc: boolean): SideMedia {
  return webrtc
    ? { ice: 'force', extra: { 'transport-protocol': 'UDP/TLS/RTP/SAVPF', 'rtcp-mux': ['offer', 'require'] } }
    : { ice: 'remove', extra: { 'transport-protocol': 'RTP/AVP', 'rtcp-mux': ['demux'] } };
}
