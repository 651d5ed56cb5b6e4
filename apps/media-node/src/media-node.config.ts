import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { baseConfigShape, mediaNodePortShape, secret } from '@legwork/platform';
import { DIGEST_ALGORITHMS, type DigestAlgorithm, STREAM_CONNECTION_DEFAULTS } from '@legwork/sip';
import { SWEEP_INTERVAL_DEFAULT_MS, parseRtpengineAddress } from '@legwork/originate';
import { MAX_CONTACTS_LIMIT } from '@legwork/call-state';
import { mediaNodePushShape, pushSendersConfigured } from './media-push.config';
import { HEARTBEAT_INTERVAL_DEFAULT_MS } from './node-heartbeat';

const ALGORITHM_LIST_ERROR = `must be a comma-separated list of ${DIGEST_ALGORITHMS.join(', ')}`;

function isAlgorithm(value: string): value is DigestAlgorithm {
  return (DIGEST_ALGORITHMS as readonly string[]).includes(value);
}

/** SIP settings of a media node (ports live in mediaNodePortShape). */
export const mediaNodeSipShape = {
  /**
   * HMAC key of digest nonces. The random per-process default is fine for one node; a cluster must set the
   * same value on every node, or a REGISTER answered on another node than the one that challenged fails.
   */
  SIP_NONCE_SECRET: secret(z.string().min(16, { error: 'must be at least 16 characters' }).default(() => randomBytes(24).toString('hex'))),
  /** Digest algorithms offered, in order; MD5 alone by default since common phones give up on any SHA-256 challenge. */
  SIP_DIGEST_ALGORITHMS: z
    .string()
    .default('MD5')
    .transform((text, ctx) => {
      const list = [...new Set(text.split(',').map((a) => a.trim().toUpperCase()).filter((a) => a.length > 0))];
      if (list.length === 0 || !list.every(isAlgorithm)) {
        ctx.addIssue({ code: 'custom', message: ALGORITHM_LIST_ERROR });
        return z.NEVER;
      }
      return list.filter(isAlgorithm);
    }),
  /** Bindings one AOR may hold; beyond it the oldest are replaced, and a REGISTER asking for more is refused (403). */
  SIP_MAX_CONTACTS_PER_AOR: z.coerce
    .number({ error: `must be an integer from 1 to ${MAX_CONTACTS_LIMIT}` })
    .int({ error: `must be an integer from 1 to ${MAX_CONTACTS_LIMIT}` })
    .min(1, { error: `must be an integer from 1 to ${MAX_CONTACTS_LIMIT}` })
    .max(MAX_CONTACTS_LIMIT, { error: `must be an integer from 1 to ${MAX_CONTACTS_LIMIT}` })
    .default(10),
  /** Host put in Via/Contact when HOST is not what phones can reach (0.0.0.0, NAT). */
  SIP_ADVERTISED_HOST: z.string().min(1).optional(),
  /** RFC 4028 Session-Expires (s) our INVITEs ask for and our answers grant when none is named; 0 turns session timers off. */
  SIP_SESSION_EXPIRES: intInRange(90, 86_400, { zero: true }).default(1800),
  /** The smallest session interval (s) we accept (Min-SE); RFC 4028 forbids less than 90. */
  SIP_MIN_SE: intInRange(90, 86_400).default(90),
};

/** An integer from min to max (or 0 when `zero`), read from an environment string. */
function intInRange(min: number, max: number, opts: { zero?: boolean } = {}) {
  const error = `must be an integer from ${min} to ${max}${opts.zero === true ? ', or 0' : ''}`;
  return z.coerce
    .number({ error })
    .int({ error })
    .refine((n) => (n >= min && n <= max) || (opts.zero === true && n === 0), { error, abort: true });
}

function boundedInt(max: number) {
  return z.coerce
    .number({ error: `must be an integer from 1 to ${max}` })
    .int({ error: `must be an integer from 1 to ${max}` })
    .min(1, { error: `must be an integer from 1 to ${max}` })
    .max(max, { error: `must be an integer from 1 to ${max}` });
}

function positiveInt(defaultValue: number, max: number) {
  return boundedInt(max).default(defaultValue);
}

/** Limits and deadlines of SIP stream connections (TCP, TLS, WS, WSS), against one source holding every slot. */
export const mediaNodeSipConnectionShape = {
  /** Stream connections in all, handshakes included; beyond it new ones are refused. */
  SIP_MAX_CONNECTIONS: positiveInt(STREAM_CONNECTION_DEFAULTS.maxConnections, 1_000_000),
  /** Inbound stream connections one source (IPv4 address, IPv6 /64) may hold; raise it behind an SBC or proxy that concentrates phones. */
  SIP_MAX_CONNECTIONS_PER_SOURCE: positiveInt(STREAM_CONNECTION_DEFAULTS.maxConnectionsPerSource, 1_000_000),
  /** A new connection must finish its handshake and deliver a whole first SIP message within this. */
  SIP_FIRST_MESSAGE_TIMEOUT_MS: positiveInt(STREAM_CONNECTION_DEFAULTS.firstMessageTimeoutMs, 3_600_000),
  /** A message whose first bytes arrived must be complete within this (a trickling peer is cut off). */
  SIP_MESSAGE_TIMEOUT_MS: positiveInt(STREAM_CONNECTION_DEFAULTS.messageTimeoutMs, 3_600_000),
  /** Idle limit of flows that carry a registration (and of connections the node opened). */
  SIP_IDLE_TIMEOUT_MS: positiveInt(STREAM_CONNECTION_DEFAULTS.idleTimeoutMs, 86_400_000),
  /** Idle limit of inbound connections without a registration; keepalives do not count as activity there. */
  SIP_UNREGISTERED_IDLE_TIMEOUT_MS: positiveInt(STREAM_CONNECTION_DEFAULTS.unregisteredIdleTimeoutMs, 86_400_000),
};

/** Originate engine settings of a media node. */
export const mediaNodeOriginateShape = {
  /** rtpengine ng control address (host:port); unset = no media anchoring: `Media: process` requests fail, bypass is the default. */
  RTPENGINE_NG: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      try {
        parseRtpengineAddress(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be host:port (IPv6 as [addr]:port)' });
      }
    }),
  /** Music on hold with `Media: process`: an absolute path of a file on rtpengine's own host (rtpengine reads it); unset = silence. */
  HOLD_MUSIC_FILE: z
    .string()
    .max(1024)
    .refine((path) => path.startsWith('/') && ![...path].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f), 'must be an absolute path without control characters')
    .optional(),
  /** Call recording with `Media: process`: the directory WAVs are kept in (one subdirectory per account); unset = recording disabled. */
  RECORDING_DIR: z
    .string()
    .max(1024)
    .refine((path) => path.startsWith('/') && ![...path].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f), 'must be an absolute path without control characters')
    .optional(),
  /** The address this node receives rtpengine's copy of a recorded call's RTP on (rtpengine must reach it). */
  RECORDING_LISTEN_HOST: z.ipv4({ error: 'must be an IPv4 address' }).or(z.ipv6({ error: 'must be an IPv6 address' })).default('127.0.0.1'),
  /** Originates this node runs at once; further requests wait on the queue. */
  ORIGINATE_MAX_INFLIGHT: positiveInt(100, 10_000),
  /** How often this node looks for dead media nodes whose calls must be ended (with the beat defaults: ended within 8 s of death). */
  SWEEP_INTERVAL_MS: positiveInt(SWEEP_INTERVAL_DEFAULT_MS, 3_600_000),
  /** On shutdown, how long live calls may go on before they are hung up (SYSTEM_SHUTDOWN). */
  DRAIN_TIMEOUT_MS: positiveInt(10_000, 3_600_000),
  /** How often this node renews its node-registry entry. */
  HEARTBEAT_INTERVAL_MS: positiveInt(HEARTBEAT_INTERVAL_DEFAULT_MS, 3_600_000),
  /** How long an entry outlives its last beat before sweepers end the node's calls; unset = three intervals. */
  HEARTBEAT_TTL_MS: boundedInt(3_600_000).optional(),
  /** Longest any answered call lasts (s) before it is hung up with ALLOTTED_TIMEOUT; a request's Max-Call-Duration can only shorten it; 0 = no limit. */
  MAX_CALL_DURATION_SECONDS: intInRange(1, 604_800, { zero: true }).default(14_400),
};

/** Session timers on: Min-SE cannot exceed the interval we ask for. */
export function minSeWithinSessionExpires(c: { SIP_SESSION_EXPIRES: number; SIP_MIN_SE: number }): boolean {
  return c.SIP_SESSION_EXPIRES === 0 || c.SIP_MIN_SE <= c.SIP_SESSION_EXPIRES;
}

/** A TTL not above the beat interval would declare a healthy node dead between two beats. */
export function heartbeatOutlivesBeat(c: { HEARTBEAT_INTERVAL_MS: number; HEARTBEAT_TTL_MS?: number | undefined }): boolean {
  return c.HEARTBEAT_TTL_MS === undefined || c.HEARTBEAT_TTL_MS > c.HEARTBEAT_INTERVAL_MS;
}

/** Environment of the media-node app: the shared variables plus its own ports, SIP and originate settings. */
export const mediaNodeConfigShape = { ...baseConfigShape, ...mediaNodePortShape, ...mediaNodeSipShape, ...mediaNodeSipConnectionShape, ...mediaNodeOriginateShape, ...mediaNodePushShape };
export const mediaNodeConfigSchema = z
  .object(mediaNodeConfigShape)
  .refine(heartbeatOutlivesBeat, { path: ['HEARTBEAT_TTL_MS'], error: 'must be greater than HEARTBEAT_INTERVAL_MS' })
  .refine(minSeWithinSessionExpires, { path: ['SIP_MIN_SE'], error: 'must not exceed SIP_SESSION_EXPIRES' })
  .superRefine(pushSendersConfigured);
export type MediaNodeConfig = z.output<typeof mediaNodeConfigSchema>;
