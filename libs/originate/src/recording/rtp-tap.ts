import { type Socket, createSocket } from 'node:dgram';
import { mediaCodecs, serializeSdp, toSdp } from '@legwork/sip';
import type { AnchoredCall } from '../media/rtpengine/anchored-call';
import type { NgValue } from '../media/rtpengine/bencode.codec';
import { parseRtpPacket } from './rtp-packet';

/** One RTP packet of a side the tap listens to. */
export interface TappedPacket {
  tag: string;
  ssrc: number;
  timestamp: number;
  /** The codec name the payload type stands for in rtpengine's offer (upper case), undefined when unknown. */
  codec: string | undefined;
  payload: Buffer;
}

interface TapStream {
  tag: string;
  socket: Socket;
  codecs: Map<number, string>;
}

const bind = (address: string): Promise<Socket> => new Promise((resolve, reject) => {
  const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  socket.once('error', reject);
  socket.bind(0, address, () => {
    socket.off('error', reject);
    resolve(socket);
  });
});

/** Which side each of the offer's m-line labels carries, from the `tag-medias` of rtpengine's reply. */
function tagsByLabel(tagMedias: NgValue | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(tagMedias)) return out;
  for (const entry of tagMedias) {
    if (typeof entry !== 'object' || Array.isArray(entry) || Buffer.isBuffer(entry) || typeof entry.tag !== 'string' || !Array.isArray(entry.medias)) continue;
    for (const m of entry.medias) if (typeof m === 'object' && !Array.isArray(m) && !Buffer.isBuffer(m) && typeof m.label === 'string') out.set(m.label, entry.tag);
  }
  return out;
}

/** A copy of what the sides of an rtpengine call send, one UDP socket per side (rtpengine `subscribe request`/`answer`). */
export class RtpTap {
  private constructor(
    private readonly call: AnchoredCall,
    private readonly toTag: string,
    private readonly streams: TapStream[],
  ) {}

  static async open(call: AnchoredCall, tags: string[], address: string, onPacket: (p: TappedPacket) => void): Promise<RtpTap> {
    const offer = await call.subscribe(tags);
    const sdp = toSdp(offer.sdp);
    const byLabel = tagsByLabel(offer.raw['tag-medias']);
    const streams: TapStream[] = [];
    try {
      for (const media of sdp.media) {
        const socket = await bind(address);
        const tag = byLabel.get(String(media.label ?? '')) ?? '';
        const codecs = new Map(mediaCodecs(media).map((c) => [c.payload, c.name.toUpperCase()]));
        streams.push({ tag, socket, codecs });
        socket.on('message', (msg) => {
          const rtp = parseRtpPacket(msg);
          if (rtp !== undefined) onPacket({ tag, ssrc: rtp.ssrc, timestamp: rtp.timestamp, codec: codecs.get(rtp.payloadType), payload: rtp.payload });
        });
        media.port = socket.address().port;
        media.connection = { version: address.includes(':') ? 6 : 4, ip: address };
        media.direction = 'recvonly';
        delete media.rtcp;
      }
      sdp.origin = { ...(sdp.origin ?? { username: '-', sessionId: 1, sessionVersion: 1, netType: 'IN', ipVer: 4 }), address };
      delete sdp.connection;
      await call.subscribeAnswer(offer.toTag, serializeSdp(sdp));
    } catch (err) {
      streams.forEach((s) => s.socket.close());
      await call.unsubscribe(offer.toTag).catch(() => undefined);
      throw err;
    }
    return new RtpTap(call, offer.toTag, streams);
  }

  async close(): Promise<void> {
    await this.call.unsubscribe(this.toTag).catch(() => undefined);
    await Promise.all(this.streams.map((s) => new Promise<void>((resolve) => s.socket.close(() => resolve()))));
  }
}
