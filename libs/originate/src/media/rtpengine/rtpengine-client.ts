import { randomBytes } from 'node:crypto';
import { type Socket, createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { type Logger, silentLogger } from '@legwork/common';
import { type NgDict, type NgValue, bdecode, bencode } from './bencode.codec';
import { rtpengineOptionsSchema } from './rtpengine-config';
import { RtpengineError } from './rtpengine.errors';
import type { AnswerParams, DeleteParams, OfferParams, RtpengineClient, RtpengineClientOptions, SdpCommandParams, SdpReply } from './rtpengine.types';

interface Pending {
  resolve: (reply: NgDict) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

// Own bencode-over-dgram client: rtpengine-client ships no types and opens a socket per instance without pending bounds.
class DgramRtpengineClient implements RtpengineClient {
  readonly address: string;
  private readonly socket: Socket;
  private readonly pending = new Map<string, Pending>();
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxPending: number;
  private readonly logger: Logger;
  private seq = 0;
  private closed = false;

  constructor(private readonly opts: RtpengineClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 1000;
    this.retries = opts.retries ?? 2;
    this.maxPending = opts.maxPending ?? 1024;
    this.logger = opts.logger ?? silentLogger;
    this.address = isIP(opts.host) === 6 ? `[${opts.host}]:${opts.port}` : `${opts.host}:${opts.port}`;
    this.socket = createSocket(isIP(opts.host) === 6 ? 'udp6' : 'udp4');
    this.socket.on('message', (msg) => this.onMessage(msg));
    this.socket.on('error', (err) => this.logger.warn({ err: err.message, rtpengine: this.address }, 'rtpengine socket error'));
    // an idle client must not keep the process alive; pending timers do while requests are in flight
    this.socket.unref();
  }

  async ping(): Promise<void> {
    const reply = await this.request({ command: 'ping' });
    if (reply.result !== 'pong') throw new RtpengineError('rtpengine_bad_reply', `unexpected ping reply ${String(reply.result)}`, { reply });
  }

  offer(params: OfferParams): Promise<SdpReply> {
    return this.sdpCommand('offer', params, params.toTag !== undefined ? { 'to-tag': params.toTag } : {});
  }

  answer(params: AnswerParams): Promise<SdpReply> {
    return this.sdpCommand('answer', params, { 'to-tag': params.toTag });
  }

  delete(params: DeleteParams): Promise<NgDict> {
    const args: NgDict = { 'call-id': params.callId, 'delete delay': params.deleteDelay ?? 0 };
    if (params.fromTag !== undefined) args['from-tag'] = params.fromTag;
    if (params.toTag !== undefined) args['to-tag'] = params.toTag;
    if (params.viaBranch !== undefined) args['via-branch'] = params.viaBranch;
    return this.command('delete', args);
  }

  query(callId: string): Promise<NgDict> {
    return this.command('query', { 'call-id': callId });
  }

  command(name: string, args: NgDict): Promise<NgDict> {
    return this.request({ ...args, command: name });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [cookie, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RtpengineError('rtpengine_unavailable', 'rtpengine client closed', { rtpengine: this.address }));
      this.pending.delete(cookie);
    }
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private async sdpCommand(name: 'offer' | 'answer', p: SdpCommandParams, more: NgDict): Promise<SdpReply> {
    const args: NgDict = { ...(p.extra ?? {}), ...more, 'call-id': p.callId, 'from-tag': p.fromTag, sdp: p.sdp, replace: p.replace ?? ['origin', 'session-connection'] };
    if (p.flags !== undefined && p.flags.length > 0) args.flags = p.flags;
    if (p.ice !== undefined) args.ICE = p.ice;
    if (p.label !== undefined) args.label = p.label;
    if (p.direction !== undefined) args.direction = p.direction;
    if (p.viaBranch !== undefined) args['via-branch'] = p.viaBranch;
    const raw = await this.command(name, args);
    if (typeof raw.sdp !== 'string') throw new RtpengineError('rtpengine_bad_reply', `rtpengine ${name} reply has no sdp`, { callId: p.callId });
    return { sdp: raw.sdp, raw, ...(typeof raw.warning === 'string' ? { warning: raw.warning } : {}) };
  }

  private request(message: NgDict): Promise<NgDict> {
    const command = String(message.command);
    if (this.closed) return Promise.reject(new RtpengineError('rtpengine_unavailable', 'rtpengine client closed', { rtpengine: this.address, command }));
    if (this.pending.size >= this.maxPending) {
      return Promise.reject(new RtpengineError('rtpengine_unavailable', `too many rtpengine requests in flight (${this.maxPending})`, { rtpengine: this.address, command }));
    }
    // unique per request: rtpengine answers a known cookie from its reply cache without running the command again
    const cookie = `${randomBytes(6).toString('hex')}${(this.seq++).toString(36)}`;
    const packet = Buffer.concat([Buffer.from(`${cookie} `), bencode(message)]);
    return new Promise<NgDict>((resolve, reject) => {
      let attempt = 0;
      const send = (): void => {
        this.socket.send(packet, this.opts.port, this.opts.host, (err) => {
          if (err) this.logger.warn({ err: err.message, rtpengine: this.address, command }, 'rtpengine send failed');
        });
      };
      const onTimeout = (): void => {
        const entry = this.pending.get(cookie);
        if (entry === undefined) return;
        if (attempt < this.retries) {
          attempt++;
          this.logger.debug({ rtpengine: this.address, command, attempt }, 'rtpengine request retransmitted');
          entry.timer = setTimeout(onTimeout, this.timeoutMs);
          send();
          return;
        }
        this.pending.delete(cookie);
        reject(new RtpengineError('rtpengine_unavailable', `rtpengine at ${this.address} did not answer ${command} after ${attempt + 1} attempts`, { rtpengine: this.address, command }));
      };
      const settle = (reply: NgDict): void => {
        if (reply.result === 'error') {
          const reason = typeof reply['error-reason'] === 'string' ? reply['error-reason'] : 'unknown error';
          reject(new RtpengineError('rtpengine_error', `rtpengine ${command} failed: ${reason}`, { rtpengine: this.address, command, reason }));
        } else if (reply.result === 'ok' || reply.result === 'pong') {
          resolve(reply);
        } else {
          reject(new RtpengineError('rtpengine_error', `rtpengine ${command} replied ${String(reply.result)}`, { rtpengine: this.address, command, result: reply.result }));
        }
      };
      this.pending.set(cookie, { resolve: settle, reject, timer: setTimeout(onTimeout, this.timeoutMs) });
      send();
    });
  }

  private onMessage(msg: Buffer): void {
    const space = msg.indexOf(0x20);
    if (space <= 0) return this.logger.warn({ rtpengine: this.address }, 'rtpengine reply without cookie dropped');
    const cookie = msg.toString('latin1', 0, space);
    const entry = this.pending.get(cookie);
    // a late reply to a retransmission we already settled
    if (entry === undefined) return;
    let reply: NgValue;
    try {
      reply = bdecode(msg.subarray(space + 1));
    } catch (err) {
      return this.logger.warn({ err: err instanceof Error ? err.message : String(err), rtpengine: this.address }, 'undecodable rtpengine reply dropped');
    }
    this.pending.delete(cookie);
    clearTimeout(entry.timer);
    if (typeof reply !== 'object' || Array.isArray(reply) || Buffer.isBuffer(reply)) {
      entry.reject(new RtpengineError('rtpengine_bad_reply', 'rtpengine reply is not a dictionary', { rtpengine: this.address }));
      return;
    }
    entry.resolve(reply);
  }
}

/** An ng-protocol client (bencoded dictionaries over UDP) for one rtpengine daemon. */
export function createRtpengineClient(opts: RtpengineClientOptions): RtpengineClient {
  const parsed = rtpengineOptionsSchema.safeParse(opts);
  if (!parsed.success) throw new RtpengineError('rtpengine_config', `invalid rtpengine client options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return new DgramRtpengineClient(opts);
}
