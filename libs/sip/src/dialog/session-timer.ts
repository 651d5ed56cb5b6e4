import type { SipMessage, SipRequest, SipResponse } from '../message/sip-message';
import { optionTags } from '../ua/extensions';

/** RFC 4028 settings of a UA, in seconds. */
export interface SessionTimerConfig {
  /** Session-Expires we ask for and grant when the peer names none. */
  expires: number;
  /** The smallest interval we accept (Min-SE); RFC 4028 §5 floor is 90, only tests go lower. */
  minSE: number;
}

export const DEFAULT_SESSION_TIMER: SessionTimerConfig = { expires: 1800, minSE: 90 };

/** Who sends the refreshes, seen from this dialog. */
export type Refresher = 'local' | 'remote';

export interface SessionInterval {
  /** Seconds. */
  interval: number;
  refresher: Refresher;
}

const DELTA = /^\d{1,9}$/;

/** `Session-Expires: delta[;refresher=uac|uas]` (compact `x`); undefined when absent or malformed. */
export function readSessionExpires(message: SipMessage): { delta: number; refresher?: 'uac' | 'uas' } | undefined {
  const raw = message.headers.get('session-expires');
  if (raw === undefined) return undefined;
  const [value = '', ...params] = raw.split(';');
  if (!DELTA.test(value.trim())) return undefined;
  const delta = Number(value.trim());
  for (const param of params) {
    const [name = '', v = ''] = param.split('=');
    const who = v.trim().toLowerCase();
    if (name.trim().toLowerCase() === 'refresher' && (who === 'uac' || who === 'uas')) return { delta, refresher: who };
  }
  return { delta };
}

/** `Min-SE: delta`; undefined when absent or malformed. */
export function readMinSE(message: SipMessage): number | undefined {
  const raw = message.headers.get('min-se')?.split(';')[0]?.trim();
  return raw !== undefined && DELTA.test(raw) ? Number(raw) : undefined;
}

/** §7.1: what a UAC puts on an initial INVITE. */
export function initialSessionHeaders(config: SessionTimerConfig): Array<[string, string]> {
  return [['Session-Expires', String(config.expires)], ['Min-SE', String(config.minSE)]];
}

/**
 * §7.2: the interval a 2xx to our INVITE/UPDATE settled on; a UAS without Require: timer leaves the refreshes
 * to us. An interval under our Min-SE (which the UAS must not pick) is raised to it, so no peer makes us refresh
 * in a loop.
 */
export function intervalFromResponse(response: SipResponse, config: SessionTimerConfig): SessionInterval | undefined {
  const se = readSessionExpires(response);
  if (se === undefined || se.delta === 0) return undefined;
  const uasDoesTimers = optionTags(response, 'require').includes('timer');
  return { interval: Math.max(se.delta, config.minSE), refresher: uasDoesTimers && se.refresher === 'uas' ? 'remote' : 'local' };
}

/** What we answer a session (re)negotiation request with (§9). */
export type UasSession = { kind: 'none' } | { kind: 'too-small'; minSE: number } | { kind: 'timer'; session: SessionInterval; uacSupports: boolean };

/** §9: refresher as the request asked, else the UAC when it supports timers, else us; a UAC without timer support never refreshes. */
export function uasSession(request: SipRequest, config: SessionTimerConfig): UasSession {
  const se = readSessionExpires(request);
  const uacSupports = optionTags(request, 'supported').includes('timer') || optionTags(request, 'require').includes('timer');
  if (se === undefined) return uacSupports ? { kind: 'timer', session: { interval: config.expires, refresher: 'remote' }, uacSupports } : { kind: 'none' };
  if (se.delta < config.minSE) return { kind: 'too-small', minSE: config.minSE };
  const asked: Refresher = se.refresher === 'uas' ? 'local' : se.refresher === 'uac' ? 'remote' : uacSupports ? 'remote' : 'local';
  return { kind: 'timer', session: { interval: se.delta, refresher: uacSupports ? asked : 'local' }, uacSupports };
}

/** Headers of our 2xx for a UasSession decision (§9: Require: timer only toward a UAC that supports it). */
export function uasSessionHeaders(decision: UasSession): Array<[string, string]> {
  if (decision.kind !== 'timer') return [];
  const { interval, refresher } = decision.session;
  const headers: Array<[string, string]> = [['Session-Expires', `${interval};refresher=${refresher === 'local' ? 'uas' : 'uac'}`]];
  if (decision.uacSupports) headers.push(['Require', 'timer']);
  return headers;
}

/** §10: the side not refreshing ends the session this long before it expires (min(32 s, interval/3)). */
export function expiryDelaySeconds(interval: number): number {
  return interval - Math.min(32, interval / 3);
}

export interface SessionTimerHooks {
  /** Send a session refresh (we are the refresher and half the interval passed). */
  refresh(): void;
  /** No refresh came in time: end the session. */
  expire(): void;
}

/** The refresh and expiry timers of one dialog (RFC 4028 §7.4, §10); restarted by every successful refresh. */
export class SessionTimer {
  current: SessionInterval | undefined;
  // the timers themselves rather than cancel closures: a dialog keeps this for the call's life
  private refreshTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly hooks: SessionTimerHooks) {}

  /** (Re)starts on a negotiated interval; undefined stops the timers (a refresh without Session-Expires ends session timing). */
  start(session: SessionInterval | undefined): void {
    this.stop();
    this.current = session;
    if (session === undefined) return;
    if (session.refresher === 'local') this.refreshTimer = unrefTimer(session.interval * 500, () => this.hooks.refresh());
    this.expiryTimer = unrefTimer(expiryDelaySeconds(session.interval) * 1000, () => this.hooks.expire());
  }

  /** A refresh that could not go out now (glare, 491): try again later; the expiry timer keeps running. */
  retryRefresh(ms: number): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = unrefTimer(ms, () => this.hooks.refresh());
  }

  stop(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.expiryTimer);
    this.refreshTimer = undefined;
    this.expiryTimer = undefined;
    this.current = undefined;
  }

  /** §7.4: a refresh request we send keeps the interval and the refresher (ours: uac, theirs: uas). */
  requestHeaders(config: SessionTimerConfig): Array<[string, string]> {
    return sessionRequestHeaders(this.current, config);
  }
}

/** §7.4: the interval and refresher in force (ours: uac, theirs: uas), or the initial ones when none is. */
export function sessionRequestHeaders(current: SessionInterval | undefined, config: SessionTimerConfig): Array<[string, string]> {
  if (current === undefined) return initialSessionHeaders(config);
  return [['Session-Expires', `${current.interval};refresher=${current.refresher === 'local' ? 'uac' : 'uas'}`], ['Min-SE', String(config.minSE)]];
}

function unrefTimer(ms: number, fire: () => void): NodeJS.Timeout {
  const handle = setTimeout(fire, ms);
  handle.unref();
  return handle;
}
