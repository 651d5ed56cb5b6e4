import { waitFor } from '@legwork/common/testing';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSippLog } from './sip-message-log';
import { SippPeer } from './sipp-peer';

/** The scenario XML files, for suites that drive sipp themselves. */
export const SIPP_SCENARIOS = join(__dirname, 'scenarios');
const SCENARIOS = SIPP_SCENARIOS;

/** `hold`: answers, then holds the call itself (re-INVITE sendonly) and later resumes it (sendrecv). */
/** `attended`: answers as `answer`; a re-INVITE in a call makes that call REFER with Replaces naming the last call answered. */
export type PhoneBehaviour = 'answer' | 'busy' | 'noanswer' | 'reject' | 'hold' | 'attended';
/**
 * `100rel`: a reliable 183 that must be PRACKed; `session-timer`: refresher=uac, answers one refresh, then expects our
 * BYE (key session_expires); `answer-mirror`: answers re-INVITEs as RFC 3264 says (sendonly with recvonly);
 * `answer-hold`: answers, then holds the call itself after `holdAfterMs` (re-INVITE sendonly) and resumes it;
 * `answer-mirror-slow`: as `answer-mirror`, each re-INVITE answered a second late (a transfer still in progress);
 * `answer-refuse-reinvite`: answers, then refuses every re-INVITE with 488.
 */
export type CarrierBehaviour = 'answer' | 'answer-bye' | '503' | '100rel' | 'session-timer' | 'answer-mirror' | 'answer-mirror-slow' | 'answer-hold' | 'answer-refuse-reinvite';

/** Where a peer's SDP says its RTP goes (an RtpProbe in media tests). */
export interface SdpTarget {
  ip: string;
  port: number;
}

export interface PhoneOptions {
  username: string;
  password: string;
  realm: string;
  /** The registrar, `host:port` (UDP). */
  registrar: string;
  behaviour?: PhoneBehaviour;
  /** `answer`: ring this long before the 200 (default 100 ms); a CANCEL meanwhile is honoured. */
  answerDelayMs?: number;
  /** `answer`: hang up this long after the ACK (default: wait for the far end's BYE). */
  byeAfterMs?: number;
  /** `hold`: quiet time after the call set-up before the hold re-INVITE (default 1500 ms), and after it before the resume. */
  holdAfterMs?: number;
  unholdAfterMs?: number;
  sdp?: SdpTarget;
  /** `answer`: the phone's SDP offers a video stream (H.264 on this port) after its audio. */
  videoPort?: number;
  transport?: 'udp' | 'tcp';
  /** Extra Contact URI parameters, e.g. `;pn-provider=apns;pn-prid=abc` (RFC 8599 devices). */
  contactParams?: string;
}

const PHONE_SCENARIOS: Record<PhoneBehaviour, string> = {
  answer: 'phone-answer.xml',
  busy: 'phone-busy.xml',
  noanswer: 'phone-ring-noanswer.xml',
  reject: 'phone-reject.xml',
  hold: 'phone-answer-hold.xml',
  attended: 'phone-attended-transfer.xml',
};

const CARRIER_SCENARIOS: Record<CarrierBehaviour, string> = {
  answer: 'carrier-answer.xml',
  'answer-bye': 'carrier-answer-bye.xml',
  '503': 'carrier-503.xml',
  '100rel': 'carrier-100rel.xml',
  'session-timer': 'carrier-session-timer.xml',
  'answer-mirror': 'carrier-answer-mirror.xml',
  // a UAS that re-INVITEs: the holding phone's scenario serves a carrier as well
  'answer-hold': 'phone-answer-hold.xml',
  'answer-mirror-slow': 'carrier-answer-mirror.xml',
  'answer-refuse-reinvite': 'carrier-refuse-reinvite.xml',
};

/** The carrier's scenario; `answer-mirror-slow` and `answer-hold` get a private copy with their pause or times written in. */
function carrierScenario(opts: { behaviour: CarrierBehaviour; holdAfterMs?: number; unholdAfterMs?: number }): { file: string; dir?: string } {
  const { behaviour } = opts;
  const source = join(SCENARIOS, CARRIER_SCENARIOS[behaviour]);
  if (behaviour !== 'answer-mirror-slow' && behaviour !== 'answer-hold') return { file: source };
  const dir = mkdtempSync(join(tmpdir(), 'sipp-carrier-'));
  if (behaviour === 'answer-hold') {
    const times = { ...(opts.holdAfterMs !== undefined ? { holdAfterMs: opts.holdAfterMs } : {}), ...(opts.unholdAfterMs !== undefined ? { unholdAfterMs: opts.unholdAfterMs } : {}) };
    return { file: answering(dir, { username: 'carrier', password: '', realm: '', registrar: '', behaviour: 'hold', ...times }), dir };
  }
  const file = join(dir, 'carrier-answer-mirror-slow.xml');
  writeFileSync(file, readFileSync(source, 'utf8').replace('<label id="reinvite"/>', '<label id="reinvite"/>\n  <pause milliseconds="1000"/>'));
  return { file, dir };
}

const sdpKeys = (sdp: SdpTarget | undefined): Record<string, string> => (sdp === undefined ? {} : { sdp_ip: sdp.ip, sdp_port: String(sdp.port) });

/** The phone's scenario; `answer`, `attended` and `hold` get their times written into the marked timeouts of a private copy. */
function answering(dir: string, opts: PhoneOptions): string {
  const behaviour = opts.behaviour ?? 'answer';
  if (behaviour !== 'answer' && behaviour !== 'hold' && behaviour !== 'attended') return join(SCENARIOS, PHONE_SCENARIOS[behaviour]);
  const video = opts.videoPort === undefined ? '' : `\n      m=video ${opts.videoPort} RTP/AVP 96\n      a=rtpmap:96 H264/90000\n      a=sendrecv`;
  const xml = readFileSync(join(SCENARIOS, PHONE_SCENARIOS[behaviour]), 'utf8')
    .replaceAll('a=rtpmap:101 telephone-event/8000\n      a=sendrecv', `a=rtpmap:101 telephone-event/8000\n      a=sendrecv${video}`)
    .replace(/timeout="\d+"( ontimeout="answer")/, `timeout="${Math.max(1, opts.answerDelayMs ?? 100)}"$1`)
    .replace(/timeout="\d+"( ontimeout="hangup")/, `timeout="${opts.byeAfterMs ?? 36_000_000}"$1`)
    .replace(/timeout="\d+"( ontimeout="hold")/, `timeout="${opts.holdAfterMs ?? 1500}"$1`)
    .replace(/timeout="\d+"( ontimeout="unhold")/, `timeout="${opts.unholdAfterMs ?? 1500}"$1`);
  const file = join(dir, PHONE_SCENARIOS[behaviour]);
  writeFileSync(file, xml);
  return file;
}

/** The REGISTER scenario, with the Contact parameters written into a private copy when there are any. */
function registering(dir: string, opts: PhoneOptions): string {
  const source = join(SCENARIOS, 'phone-register.xml');
  if (opts.contactParams === undefined || opts.contactParams === '') return source;
  const file = join(dir, 'phone-register.xml');
  writeFileSync(file, readFileSync(source, 'utf8').replaceAll(';transport=[transport]>', `;transport=[transport]${opts.contactParams}>`));
  return file;
}

/** A sipp phone: registers with digest (REGISTER, 401, REGISTER with credentials), then handles calls per its behaviour. */
export class SippPhone {
  private constructor(
    readonly peer: SippPeer,
    readonly username: string,
    private readonly scenarioDir: string,
  ) {}

  static async start(opts: PhoneOptions): Promise<SippPhone> {
    const scenarioDir = mkdtempSync(join(tmpdir(), 'sipp-phone-'));
    const peer = await SippPeer.start(
      [
        opts.registrar, '-sf', registering(scenarioDir, opts), '-oocsf', answering(scenarioDir, opts),
        '-t', opts.transport === 'tcp' ? 't1' : 'u1', '-m', '1', '-s', opts.username, '-au', opts.username, '-ap', opts.password, '-set', 'domain', opts.realm,
      ],
      { keys: sdpKeys(opts.sdp) },
    );
    return new SippPhone(peer, opts.username, scenarioDir);
  }

  get port(): number {
    return this.peer.port;
  }

  /** Resolves once the registrar's 200 to the authenticated REGISTER arrived. */
  async waitRegistered(timeoutMs = 15_000): Promise<void> {
    const registered = () => parseSippLog(this.peer.messages()).some((m) => m.direction === 'received' && m.startLine.startsWith('SIP/2.0 200') && /REGISTER/.test(m.headers['cseq']?.[0] ?? ''));
    await waitFor(registered, { message: `phone ${this.username} registration`, timeoutMs, abort: () => (this.peer.exitCode !== undefined ? `sipp exited with ${String(this.peer.exitCode)}\n${this.peer.log}` : undefined) });
  }

  messages(): string {
    return this.peer.messages();
  }

  get log(): string {
    return this.peer.log;
  }

  async stop(): Promise<void> {
    await this.peer.stop();
    rmSync(this.scenarioDir, { recursive: true, force: true });
  }
}

/** A sipp carrier gateway (UAS) on a given or free port. */
export class SippCarrier {
  private constructor(
    readonly peer: SippPeer,
    private readonly scenarioDir?: string,
  ) {}

  /** `holdAfterMs` / `unholdAfterMs`: the `answer-hold` carrier's quiet times (default 1500 ms each). */
  static async start(opts: { behaviour: CarrierBehaviour; port?: number; sdp?: SdpTarget; keys?: Record<string, string>; holdAfterMs?: number; unholdAfterMs?: number }): Promise<SippCarrier> {
    const scenario = carrierScenario(opts);
    const peer = await SippPeer.start(['-sf', scenario.file, '-t', 'u1', '-m', '1', '-s', 'carrier'], {
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      keys: { ...sdpKeys(opts.sdp), ...opts.keys },
    });
    // a UAS gives no sign of life: wait until its port is bound so the first INVITE is not lost
    await waitFor(() => udpPortBound(peer.port), { message: `carrier on port ${peer.port}`, timeoutMs: 5000, abort: () => (peer.exitCode !== undefined ? `sipp exited with ${String(peer.exitCode)}\n${peer.log}` : undefined) });
    return new SippCarrier(peer, scenario.dir);
  }

  get port(): number {
    return this.peer.port;
  }

  get exited(): Promise<number | null> {
    return this.peer.exited;
  }

  messages(): string {
    return this.peer.messages();
  }

  get log(): string {
    return this.peer.log;
  }

  async stop(): Promise<void> {
    await this.peer.stop();
    if (this.scenarioDir !== undefined) rmSync(this.scenarioDir, { recursive: true, force: true });
  }
}

function udpPortBound(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  try {
    return readFileSync('/proc/net/udp', 'utf8').includes(hex);
  } catch {
    // no procfs: fall back to trusting the spawn
    return true;
  }
}
