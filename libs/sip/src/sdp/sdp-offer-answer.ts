import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import { type CodecSpec, codecSpec, isTelephoneEvent } from './sdp-codecs';
import { SdpError } from './sdp.errors';
import { type MediaCodec, type Sdp, type SdpDirection, type SdpInput, type SdpMedia, audioMedia, mediaCodecs, serializeSdp, toSdp } from './sdp';

export const DEFAULT_CODECS = ['PCMU', 'PCMA', 'telephone-event'];

export interface OfferOptions {
  /** Where we receive RTP (IPv4 or IPv6). */
  address: string;
  port: number;
  /** In preference order; default PCMU, PCMA, telephone-event. */
  codecs?: string[];
  sessionId?: string;
  sessionVersion?: number;
  direction?: SdpDirection;
  ptime?: number;
}

export interface AnswerOptions {
  address: string;
  port: number;
  /** What we accept; the answer keeps the offer's order and payload numbers. */
  codecs?: string[];
  sessionId?: string;
  /** What we want (e.g. sendonly to hold); intersected with what the offer allows. */
  direction?: SdpDirection;
}

function session(address: string, sessionId: string | undefined, sessionVersion: number, media: SdpMedia[]): Sdp {
  const ipVer = isIP(address) === 6 ? 6 : 4;
  return {
    version: 0,
    origin: { username: 'legwork', sessionId: sessionId ?? String(randomInt(1, 2 ** 47)), sessionVersion, netType: 'IN', ipVer, address },
    name: '-',
    connection: { version: ipVer, ip: address },
    timing: { start: 0, stop: 0 },
    media,
  };
}

function audioLine(port: number, protocol: string, codecs: Array<MediaCodec | CodecSpec>, direction: SdpDirection, ptime?: number): SdpMedia {
  return {
    type: 'audio',
    port,
    protocol,
    payloads: codecs.map((c) => c.payload).join(' '),
    rtp: codecs.map((c) => ({ payload: c.payload, codec: c.name, rate: c.rate, ...(c.channels !== undefined ? { encoding: c.channels } : {}) })),
    fmtp: codecs.flatMap((c) => (c.fmtp !== undefined ? [{ payload: c.payload, config: c.fmtp }] : [])),
    direction,
    ...(ptime !== undefined ? { ptime } : {}),
  };
}

/** A one-stream RTP/AVP audio offer. */
export function createOffer(opts: OfferOptions): string {
  const codecs = (opts.codecs ?? DEFAULT_CODECS).map(codecSpec);
  if (!codecs.some((c) => !isTelephoneEvent(c.name))) throw new SdpError('no_common_codec', 'an offer needs an audio codec besides telephone-event');
  const media = audioLine(opts.port, 'RTP/AVP', codecs, opts.direction ?? 'sendrecv', opts.ptime ?? 20);
  return serializeSdp(session(opts.address, opts.sessionId, opts.sessionVersion ?? 1, [media]));
}

const SENDS: ReadonlySet<SdpDirection> = new Set(['sendrecv', 'sendonly']);
const RECEIVES: ReadonlySet<SdpDirection> = new Set(['sendrecv', 'recvonly']);

/** RFC 3264 §6.1: we may send only what the offerer receives, and receive only what it sends. */
function answerDirection(offered: SdpDirection, wanted: SdpDirection): SdpDirection {
  const send = RECEIVES.has(offered) && SENDS.has(wanted);
  const recv = SENDS.has(offered) && RECEIVES.has(wanted);
  if (send && recv) return 'sendrecv';
  if (send) return 'sendonly';
  return recv ? 'recvonly' : 'inactive';
}

/** Answers the first audio stream with the codecs we share (offer order, offer payload numbers); other streams are declined with port 0. */
export function answerFor(offerInput: SdpInput, opts: AnswerOptions): string {
  const offer = toSdp(offerInput);
  const audio = audioMedia(offer);
  if (audio === undefined || audio.port === 0) throw new SdpError('no_audio', 'the offer has no active audio stream');
  if (audio.protocol !== 'RTP/AVP' && audio.protocol !== 'RTP/AVPF') throw new SdpError('unsupported_profile', `cannot answer ${audio.protocol}`, { protocol: audio.protocol });
  const accepted = (opts.codecs ?? DEFAULT_CODECS).map(codecSpec);
  const common = mediaCodecs(audio).filter((c) => accepted.some((a) => a.name.toLowerCase() === c.name.toLowerCase() && a.rate === c.rate));
  if (!common.some((c) => !isTelephoneEvent(c.name))) throw new SdpError('no_common_codec', 'no audio codec in common with the offer', { offered: mediaCodecs(audio).map((c) => c.name) });
  const direction = answerDirection(audio.direction ?? offer.direction ?? 'sendrecv', opts.direction ?? 'sendrecv');
  const media = offer.media.map((m) =>
    m === audio ? audioLine(opts.port, audio.protocol, common, direction, audio.ptime) : { type: m.type, port: 0, protocol: m.protocol, payloads: m.payloads, rtp: [], fmtp: [] },
  );
  return serializeSdp(session(opts.address, opts.sessionId, 1, media));
}
