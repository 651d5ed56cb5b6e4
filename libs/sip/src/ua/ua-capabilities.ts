import { DEFAULT_SESSION_TIMER, type SessionTimerConfig } from '../dialog/session-timer';
import { parseUri, serializeUri } from '../message/sip-uri';
import { CORE_METHODS, allowValue } from './extensions';
import type { SipStackOptions } from './sip-stack.types';

/** RFC 3262 reliable provisionals are implemented on both sides. */
const RELIABLE = '100rel';
/** RFC 4028 session timers, when enabled. */
const TIMER = 'timer';

export function resolveSessionTimer(option: SipStackOptions['sessionTimer']): SessionTimerConfig | undefined {
  if (option === false) return undefined;
  const minSE = Math.max(1, Math.floor(option?.minSE ?? DEFAULT_SESSION_TIMER.minSE));
  return { minSE, expires: Math.max(minSE, Math.floor(option?.expires ?? DEFAULT_SESSION_TIMER.expires)) };
}

/** What this UA implements: Allow (core methods plus mounted handlers), Supported, the option-tags Require may name. */
export class UaCapabilities {
  private readonly core: readonly string[];
  private readonly byMethod = new Map<string, ReadonlySet<string>>();
  private readonly coreSet: ReadonlySet<string>;
  private readonly supportedValue: string;
  private readonly withoutOffer: string;
  private allowed: string | undefined;

  constructor(
    private readonly mountedMethods: () => Iterable<string>,
    sessionTimer: SessionTimerConfig | undefined,
    extensions: SipStackOptions['extensions'] = {},
  ) {
    this.core = sessionTimer !== undefined ? [RELIABLE, TIMER] : [RELIABLE];
    this.coreSet = new Set(this.core);
    this.supportedValue = this.core.join(', ');
    this.withoutOffer = this.core.filter((tag) => tag !== RELIABLE).join(', ');
    for (const [method, tags] of Object.entries(extensions)) this.byMethod.set(method.toUpperCase(), new Set([...this.core, ...tags.map((t) => t.toLowerCase())]));
  }

  /** The handlers changed: Allow is computed again. */
  changed(): void {
    this.allowed = undefined;
  }

  allow(refused?: string): string {
    if (refused === undefined && this.allowed !== undefined) return this.allowed;
    const mounted = [...this.mountedMethods()].filter((m) => m !== '*' && !CORE_METHODS.includes(m));
    const value = allowValue([...CORE_METHODS, ...mounted], refused);
    if (refused === undefined) this.allowed = value;
    return value;
  }

  /** Supported for responses and OPTIONS: every option-tag of the core. */
  supported(): string {
    return this.supportedValue;
  }

  /**
   * Supported on an INVITE we send: 100rel only when it carries an offer. For an offerless INVITE a reliable
   * provisional could carry the offer, to be answered in the PRACK, which would leave the 2xx — where third-party
   * call control expects it — without one.
   */
  inviteSupported(withOffer: boolean): string {
    return withOffer ? this.supportedValue : this.withoutOffer;
  }

  /** Option-tags a request of this method may require. */
  tagsFor(method: string): ReadonlySet<string> {
    return this.byMethod.get(method) ?? this.coreSet;
  }

  /** What an OPTIONS 200 tells about us (RFC 3261 §11.2). */
  optionsHeaders(): Array<[string, string]> {
    return [['Allow', this.allow()], ['Accept', 'application/sdp'], ['Supported', this.supported()]];
  }
}

/** RFC 3261 §19.1.5: URI headers are never allowed in a Request-URI; a URI that does not parse is left for resolution to refuse. */
export function withoutUriHeaders(uri: string): string {
  if (!uri.includes('?')) return uri;
  try {
    const parsed = parseUri(uri);
    if (parsed.kind !== 'sip') return uri;
    parsed.headers = [];
    return serializeUri(parsed);
  } catch {
    return uri;
  }
}
