import type { Logger } from '@legwork/common';
import type { NgDict } from './bencode.codec';

export interface RtpengineClientOptions {
  host: string;
  port: number;
  /** Wait per attempt before resending the same cookie (rtpengine caches replies per cookie, so a resend is safe). */
  timeoutMs?: number;
  /** Resends after the first attempt. */
  retries?: number;
  /** Requests in flight at once; beyond it a request fails at once instead of queueing without bound. */
  maxPending?: number;
  logger?: Logger;
}

/** Fields shared by offer and answer; `extra` carries any other ng key (e.g. `codec`, `record call`). */
export interface SdpCommandParams {
  callId: string;
  fromTag: string;
  sdp: string;
  /** ng flags, e.g. `port latching`, `trust address`, `strict source`. */
  flags?: string[];
  /** Default ['origin', 'session-connection'] so the rewritten SDP names rtpengine throughout. */
  replace?: string[];
  ice?: 'remove' | 'force' | 'default';
  /** Names this side's monologue, for `play media` / `block media` later. */
  label?: string;
  /** Logical interfaces [from side, to side] when rtpengine has several. */
  direction?: [string, string];
  viaBranch?: string;
  extra?: NgDict;
}

export interface OfferParams extends SdpCommandParams {
  /** A re-offer in an established call (re-INVITE, UPDATE) names the other side's tag too. */
  toTag?: string;
}
export interface AnswerParams extends SdpCommandParams {
  toTag: string;
}

export interface DeleteParams {
  callId: string;
  fromTag?: string;
  toTag?: string;
  viaBranch?: string;
  /** Seconds rtpengine keeps the call after delete; default 0 so ports close at once. */
  deleteDelay?: number;
}

export interface SdpReply {
  /** The rewritten SDP to hand to the other side. */
  sdp: string;
  warning?: string;
  raw: NgDict;
}

export interface RtpengineClient {
  /** "host:port" of the daemon. */
  readonly address: string;
  ping(): Promise<void>;
  offer(params: OfferParams): Promise<SdpReply>;
  answer(params: AnswerParams): Promise<SdpReply>;
  delete(params: DeleteParams): Promise<NgDict>;
  query(callId: string): Promise<NgDict>;
  /** Any other ng command (`play media`, `block media`, `start recording`…); rejects on result=error. */
  command(name: string, args: NgDict): Promise<NgDict>;
  close(): Promise<void>;
}
