import { type MediaDescription, type SessionDescription, parse, parsePayloads, write } from 'sdp-transform';
import { staticCodec } from './sdp-codecs';
import { SdpError } from './sdp.errors';

export type Sdp = SessionDescription;
export type SdpMedia = MediaDescription;
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
/** SDP text (a body), or an already parsed description. */
export type SdpInput = string | Buffer | Sdp;

export interface MediaCodec {
  payload: number;
  name: string;
  rate: number;
  channels?: number;
  fmtp?: string;
}

export interface MediaSummary {
  address?: string;
  port: number;
  protocol: string;
  /** In the order of the m= line (the sender's preference). */
  codecs: MediaCodec[];
  /** Payload type of RFC 4733 telephone-event, when offered. */
  telephoneEvent?: number;
  direction: SdpDirection;
  ptime?: number;
}

/** Parses with sdp-transform and checks the little it cannot: a v=0 start, an origin and sane ports. */
export function parseSdp(input: string | Buffer): Sdp {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  if (!/^v=0\r?\n/.test(text.trimStart())) throw new SdpError('invalid_sdp', 'SDP must start with v=0');
  let sdp: Sdp;
  try {
    sdp = parse(text);
  } catch (err) {
    throw new SdpError('invalid_sdp', `unparseable SDP: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (sdp.origin === undefined || !Array.isArray(sdp.media)) throw new SdpError('invalid_sdp', 'SDP lacks o= or m= lines');
  for (const m of sdp.media) {
    if (!Number.isInteger(m.port) || m.port < 0 || m.port > 65535) throw new SdpError('invalid_sdp', `bad media port in m=${m.type}`);
  }
  return sdp;
}

/** A private copy to read or modify. */
export function toSdp(input: SdpInput): Sdp {
  return typeof input === 'string' || Buffer.isBuffer(input) ? parseSdp(input) : structuredClone(input);
}

export function serializeSdp(sdp: Sdp): string {
  return write(sdp);
}

export function audioMedia(sdp: Sdp): SdpMedia | undefined {
  return sdp.media.find((m) => m.type === 'audio');
}

/** Where audio goes: the audio m= line's c= address, else the session's. */
export function connectionAddress(input: SdpInput): string | undefined {
  const sdp = toSdp(input);
  return audioMedia(sdp)?.connection?.ip ?? sdp.connection?.ip;
}

export function directionOf(input: SdpInput): SdpDirection {
  const sdp = toSdp(input);
  return audioMedia(sdp)?.direction ?? sdp.direction ?? 'sendrecv';
}

export function mediaCodecs(media: SdpMedia): MediaCodec[] {
  const codecs: MediaCodec[] = [];
  for (const payload of parsePayloads(String(media.payloads ?? ''))) {
    const rtp = media.rtp.find((r) => r.payload === payload);
    const fmtp = media.fmtp.find((f) => f.payload === payload)?.config;
    const known = rtp === undefined ? staticCodec(payload) : undefined;
    // a dynamic payload type without a=rtpmap cannot be interpreted
    if (rtp === undefined && known === undefined) continue;
    const name = rtp?.codec ?? known?.name ?? '';
    const rate = rtp?.rate ?? known?.rate ?? 8000;
    const channels = rtp?.encoding ?? known?.channels;
    codecs.push({ payload, name, rate, ...(channels !== undefined ? { channels } : {}), ...(fmtp !== undefined ? { fmtp } : {}) });
  }
  return codecs;
}

/** The first audio stream at a glance; undefined when the SDP has none. */
export function mediaSummary(input: SdpInput): MediaSummary | undefined {
  const sdp = toSdp(input);
  const audio = audioMedia(sdp);
  if (audio === undefined) return undefined;
  const all = mediaCodecs(audio);
  const event = all.find((c) => c.name.toLowerCase() === 'telephone-event');
  const address = audio.connection?.ip ?? sdp.connection?.ip;
  return {
    ...(address !== undefined ? { address } : {}),
    port: audio.port,
    protocol: audio.protocol,
    codecs: all.filter((c) => c !== event),
    ...(event !== undefined ? { telephoneEvent: event.payload } : {}),
    direction: audio.direction ?? sdp.direction ?? 'sendrecv',
    ...(audio.ptime !== undefined ? { ptime: audio.ptime } : {}),
  };
}

/** Sets the direction on every m= line (hold = sendonly, resume = sendrecv); the session-level attribute is dropped. */
export function setDirection(input: SdpInput, direction: SdpDirection): string {
  const sdp = toSdp(input);
  delete sdp.direction;
  for (const m of sdp.media) m.direction = direction;
  return serializeSdp(sdp);
}

/** A modified offer must carry a higher o= version (RFC 3264 §8). */
export function withNextVersion(input: SdpInput): string {
  const sdp = toSdp(input);
  sdp.origin.sessionVersion += 1;
  return serializeSdp(sdp);
}

/** True when the sender holds the call: audio sendonly/inactive, or the RFC 2543 c=0.0.0.0 form. */
export function isHold(input: SdpInput): boolean {
  const sdp = toSdp(input);
  const audio = audioMedia(sdp);
  if (audio === undefined) return false;
  const direction = audio.direction ?? sdp.direction ?? 'sendrecv';
  return direction === 'sendonly' || direction === 'inactive' || (audio.connection?.ip ?? sdp.connection?.ip) === '0.0.0.0';
}
