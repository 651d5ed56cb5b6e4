import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeMediaPort, freePort } from '@legwork/sip/testing';

export interface CarrierCallOptions {
  /** The media node, `host:port` (UDP). */
  target: string;
  /** Source address of the carrier (a 127.0.0.0/8 address). */
  from: string;
  did: string;
  caller: string;
  /** 200: the call is answered (then waits for our BYE); 487: the carrier CANCELs once it rings; else the final status it must get. */
  expect: number;
  /** Answers a 407 challenge with these credentials first. */
  auth?: { username: string; password: string };
  /** INVITEs without SDP (late offer): the 200 must offer, and the ACK answers it. */
  lateOffer?: boolean;
  /** The RTP address its SDP names (default its own address and media port), e.g. an RtpProbe's. */
  sdp?: { ip: string; port: number };
}

const TEMPLATE = join(__dirname, 'scenarios', 'carrier-inbound.xml');

/** Keeps the marked blocks of the template the options ask for. */
function scenario(opts: CarrierCallOptions): string {
  const keep = (xml: string, block: string, on: boolean): string => xml.replace(new RegExp(`<!--${block}-->([\\s\\S]*?)<!--/${block}-->`, 'g'), on ? '$1' : '');
  let xml = readFileSync(TEMPLATE, 'utf8');
  xml = keep(xml, 'AUTH', opts.auth !== undefined);
  xml = keep(xml, 'ANSWERED', opts.expect === 200);
  xml = keep(xml, 'CANCELLED', opts.expect === 487);
  xml = keep(xml, 'REFUSED', opts.expect !== 200 && opts.expect !== 487);
  xml = keep(xml, 'OFFER', opts.lateOffer !== true);
  xml = keep(xml, 'ANSWER', opts.lateOffer === true);
  // sipp expands no keyword inside [authentication]: the credentials are written in
  if (opts.auth !== undefined) xml = xml.replace('[authentication username=AUTH_USER password=AUTH_PASSWORD]', `[authentication username=${opts.auth.username} password=${opts.auth.password}]`);
  return xml.replace('response="STATUS"', `response="${opts.expect}"`).replaceAll('CSeq: CSEQ ACK', `CSeq: ${opts.auth !== undefined ? 2 : 1} ACK`);
}

/** One carrier call by sipp from a chosen source address, its SIP messages traced. */
export class SippCarrierCall {
  private constructor(
    readonly exited: Promise<{ code: number | null; output: string }>,
    private readonly dir: string,
    private readonly kill: () => void,
  ) {}

  static async start(opts: CarrierCallOptions): Promise<SippCarrierCall> {
    const dir = mkdtempSync(join(tmpdir(), 'sipp-carrier-call-'));
    const file = join(dir, 'carrier-inbound.xml');
    writeFileSync(file, scenario(opts));
    const [port, media] = [await freePort(), await freeMediaPort()];
    const keys = { did: opts.did, caller: opts.caller, sdp_ip: opts.sdp?.ip ?? opts.from, sdp_port: String(opts.sdp?.port ?? media) };
    const child = spawn(
      'sipp',
      [
        opts.target, '-sf', file, '-m', '1', '-t', 'u1', '-i', opts.from, '-p', String(port), '-mp', String(media), '-nostdin',
        ...Object.entries(keys).flatMap(([k, v]) => ['-key', k, v]),
        '-trace_msg', '-message_file', join(dir, 'messages.log'), '-trace_err', '-error_file', join(dir, 'errors.log'), '-timeout', '60s', '-timeout_error',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const keep = (d: Buffer): void => void (output = (output + d.toString()).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<{ code: number | null; output: string }>((resolve) => {
      child.once('exit', (code) => resolve({ code, output: `${output}\n${read(join(dir, 'errors.log'))}` }));
      child.once('error', (err) => resolve({ code: -1, output: String(err) }));
    });
    return new SippCarrierCall(exited, dir, () => child.kill('SIGKILL'));
  }

  messages(): string {
    return read(join(this.dir, 'messages.log'));
  }

  async stop(): Promise<void> {
    this.kill();
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
