import { randomInt } from 'node:crypto';
import { type Socket, createSocket } from 'node:dgram';
import { type SdpDirection, createOffer, mediaSummary } from '@legwork/sip';

export interface RtpPacketInfo {
  ssrc: number;
  seq: number;
  timestamp: number;
  payloadType: number;
  marker: boolean;
  payloadSize: number;
  from: { address: string; port: number };
}

export interface RtpDestination {
  address: string;
  port: number;
}

export interface RtpSendOptions {
  /** Pause between packets; 0 sends back to back. */
  intervalMs?: number;
  payloadType?: number;
  /** 160 bytes = 20 ms of PCMU. */
  payloadSize?: number;
  /** The byte every payload is filled with (default PCMU silence); another value is a sound a recording can show. */
  fill?: number;
}

const RTP_VERSION = 2;
const PCMU_SILENCE = 0xff;

/** Parses a 12-byte RTP header (plus CSRCs and extension); undefined for RTCP or non-RTP datagrams. */
export function parseRtp(buf: Buffer, from: { address: string; port: number }): RtpPacketInfo | undefined {
  if (buf.length < 12 || buf[0] >> 6 !== RTP_VERSION) return undefined;
  const payloadType = buf[1] & 0x7f;
  // RTCP packet types 200..204 land on 72..76 once the marker bit is masked off
  if (payloadType >= 72 && payloadType <= 76) return undefined;
  let offset = 12 + (buf[0] & 0x0f) * 4;
  if (buf[0] & 0x10) {
    if (buf.length < offset + 4) return undefined;
    offset += 4 + buf.readUInt16BE(offset + 2) * 4;
  }
  if (buf.length < offset) return undefined;
  return { ssrc: buf.readUInt32BE(8), seq: buf.readUInt16BE(2), timestamp: buf.readUInt32BE(4), payloadType, marker: (buf[1] & 0x80) !== 0, payloadSize: buf.length - offset, from };
}

export function buildRtp(opts: { ssrc: number; seq: number; timestamp: number; payloadType: number; marker?: boolean; payload: Buffer }): Buffer {
  const header = Buffer.alloc(12);
  header[0] = RTP_VERSION << 6;
  header[1] = (opts.marker ? 0x80 : 0) | (opts.payloadType & 0x7f);
  header.writeUInt16BE(opts.seq & 0xffff, 2);
  header.writeUInt32BE(opts.timestamp >>> 0, 4);
  header.writeUInt32BE(opts.ssrc >>> 0, 8);
  return Buffer.concat([header, opts.payload]);
}

/** A UDP RTP endpoint for tests: describes itself in SDP, sends PCMU packets and records what arrives. */
export class RtpProbe {
  readonly received: RtpPacketInfo[] = [];
  readonly ssrc = randomInt(1, 2 ** 31);
  private seq = randomInt(0, 2 ** 15);
  private timestamp = randomInt(0, 2 ** 30);
  private waiters = new Set<() => void>();

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
    readonly port: number,
  ) {
    socket.on('message', (msg, rinfo) => {
      const info = parseRtp(msg, { address: rinfo.address, port: rinfo.port });
      if (info === undefined) return;
      this.received.push(info);
      for (const wake of [...this.waiters]) wake();
    });
  }

  static async create(address = '127.0.0.1'): Promise<RtpProbe> {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new RtpProbe(socket, address, socket.address().port);
  }

  /** An SDP offer for this probe's address and port (PCMU first). */
  sdp(opts: { direction?: SdpDirection; codecs?: string[] } = {}): string {
    return createOffer({ address: this.address, port: this.port, codecs: opts.codecs ?? ['PCMU', 'PCMA', 'telephone-event'], ...(opts.direction ? { direction: opts.direction } : {}) });
  }

  /** Sends `count` PCMU packets with increasing seq/timestamp (the same SSRC throughout). */
  async send(to: RtpDestination, count: number, opts: RtpSendOptions = {}): Promise<void> {
    const payloadSize = opts.payloadSize ?? 160;
    const interval = opts.intervalMs ?? 2;
    for (let i = 0; i < count; i++) {
      const packet = buildRtp({ ssrc: this.ssrc, seq: this.seq, timestamp: this.timestamp, payloadType: opts.payloadType ?? 0, marker: i === 0, payload: Buffer.alloc(payloadSize, opts.fill ?? PCMU_SILENCE) });
      this.seq = (this.seq + 1) & 0xffff;
      this.timestamp = (this.timestamp + payloadSize) >>> 0;
      await new Promise<void>((resolve, reject) => this.socket.send(packet, to.port, to.address, (err) => (err ? reject(err) : resolve())));
      if (interval > 0) await new Promise((r) => setTimeout(r, interval));
    }
  }

  /** Sends to the audio address/port an SDP advertises (e.g. the SDP rtpengine returned). */
  sendToSdp(sdp: string, count: number, opts: RtpSendOptions = {}): Promise<void> {
    return this.send(RtpProbe.destinationOf(sdp), count, opts);
  }

  static destinationOf(sdp: string): RtpDestination {
    const media = mediaSummary(sdp);
    if (media === undefined || media.address === undefined || media.port === 0) throw new Error('SDP has no active audio destination');
    return { address: media.address, port: media.port };
  }

  /** Packets received from a given SSRC. */
  from(ssrc: number): RtpPacketInfo[] {
    return this.received.filter((p) => p.ssrc === ssrc);
  }

  /** Resolves once `count` matching packets have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, opts: { ssrc?: number; timeoutMs?: number } = {}): Promise<RtpPacketInfo[]> {
    const matching = (): RtpPacketInfo[] => (opts.ssrc === undefined ? this.received : this.from(opts.ssrc));
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const got = matching();
        if (got.length < count) return;
        cleanup();
        resolve(got);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`probe ${this.address}:${this.port} got ${matching().length} of ${count} RTP packets`));
      }, opts.timeoutMs ?? 3000);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  clear(): void {
    this.received.length = 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
