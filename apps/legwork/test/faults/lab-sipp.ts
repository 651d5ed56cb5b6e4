import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIPP_SCENARIOS, parseSippLog, type LoggedSipMessage } from '@legwork/originate/testing';
import type { NetLab } from './net-lab';

const SIP_PORT = 5060;
const MEDIA_PORT = 6000;

/** A phone's registration (digest) that it keeps for the whole case. */
export interface LabRegistration {
  username: string;
  password: string;
  realm: string;
  /** The registrar, `host:port`. */
  registrar: string;
  /** TCP: the node that takes the REGISTER holds the phone's connection, the only way to it. */
  transport: 'udp' | 'tcp';
}

/**
 * A sipp peer on a host of the lab, on port 5060 of the host's address (every host has its own), its messages traced:
 * a `phone` registers (when given a registration) and answers every call after 100 ms, hanging up `holdMs` after the
 * ACK; a `carrier` answers every call and waits for the platform's BYE.
 */
export class LabSipp {
  private constructor(
    private readonly child: ChildProcess,
    readonly address: string,
    private readonly dir: string,
    readonly exited: Promise<number | null>,
  ) {}

  get contact(): string {
    return `${this.address}:${SIP_PORT}`;
  }

  static phone(lab: NetLab, host: string, registration: LabRegistration, holdMs: number): LabSipp {
    const dir = mkdtempSync(join(tmpdir(), `lab-phone-`));
    const answer = join(dir, 'answer.xml');
    writeFileSync(answer, readFileSync(join(SIPP_SCENARIOS, 'phone-answer.xml'), 'utf8')
      .replace(/timeout="\d+"( ontimeout="answer")/, 'timeout="100"$1')
      .replace(/timeout="\d+"( ontimeout="hangup")/, `timeout="${holdMs}"$1`));
    // the stock scenario stays registered two minutes; this one outlives the case
    const register = join(dir, 'register.xml');
    writeFileSync(register, readFileSync(join(SIPP_SCENARIOS, 'phone-register.xml'), 'utf8').replace(/<pause milliseconds="\d+"\/>/, '<pause milliseconds="900000"/>'));
    const r = registration;
    return LabSipp.start(lab, host, dir, [r.registrar, '-sf', register, '-oocsf', answer, '-m', '1', '-s', r.username, '-au', r.username, '-ap', r.password, '-set', 'domain', r.realm], r.transport);
  }

  static carrier(lab: NetLab, host: string): LabSipp {
    const dir = mkdtempSync(join(tmpdir(), `lab-carrier-`));
    return LabSipp.start(lab, host, dir, ['-sf', join(SIPP_SCENARIOS, 'carrier-answer.xml'), '-s', 'carrier']);
  }

  private static start(lab: NetLab, host: string, dir: string, args: string[], transport: 'udp' | 'tcp' = 'udp'): LabSipp {
    const address = lab.host(host).address;
    const media = ['-key', 'sdp_ip', address, '-key', 'sdp_port', String(MEDIA_PORT)];
    const child = lab.spawn(host, 'sipp', [...args, ...media, '-t', transport === 'tcp' ? 't1' : 'u1', '-i', address, '-p', String(SIP_PORT), '-mp', String(MEDIA_PORT), '-nostdin', '-trace_msg', '-message_file', join(dir, 'messages.log')], { cwd: dir });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return new LabSipp(child, address, dir, exited);
  }

  /** Every SIP message it sent or received so far. */
  messages(): LoggedSipMessage[] {
    try {
      return parseSippLog(readFileSync(join(this.dir, 'messages.log'), 'utf8'));
    } catch {
      return [];
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
