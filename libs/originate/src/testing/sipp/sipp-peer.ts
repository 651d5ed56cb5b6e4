import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeMediaPort, freePort } from '@legwork/sip/testing';

export interface SippPeerOptions {
  /** SIP port on 127.0.0.1; default a free one. */
  port?: number;
  /** `-key name value` pairs for the scenario's `[name]` keywords (merged over the defaults). */
  keys?: Record<string, string>;
}

/**
 * A long-running sipp (phone or carrier) on 127.0.0.1 with its SIP messages traced to a file.
 * The scenarios' SDP names `[sdp_ip]`/`[sdp_port]` (default: sipp's own media port) so a test can point it at an RTP probe.
 */
export class SippPeer {
  private output = '';
  readonly exited: Promise<number | null>;
  exitCode: number | null | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly dir: string,
  ) {
    const keep = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('error', () => resolve((this.exitCode = -1)));
      child.once('exit', (code) => resolve((this.exitCode = code)));
    });
  }

  static async start(args: string[], portOrOptions?: number | SippPeerOptions): Promise<SippPeer> {
    const opts: SippPeerOptions = typeof portOrOptions === 'number' ? { port: portOrOptions } : (portOrOptions ?? {});
    const sipPort = opts.port ?? (await freePort());
    const media = await freeMediaPort();
    const keys: Record<string, string> = { sdp_ip: '127.0.0.1', sdp_port: String(media), ...opts.keys };
    const dir = mkdtempSync(join(tmpdir(), 'sipp-peer-'));
    const child = spawn(
      'sipp',
      [
        ...args, ...Object.entries(keys).flatMap(([k, v]) => ['-key', k, v]),
        '-i', '127.0.0.1', '-p', String(sipPort), '-mp', String(media), '-nostdin',
        '-trace_msg', '-message_file', join(dir, 'messages.log'), '-trace_err', '-error_file', join(dir, 'errors.log'), '-timeout', '150s', '-timeout_error',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return new SippPeer(child, sipPort, dir);
  }

  /** Every SIP message sipp sent or received so far. */
  messages(): string {
    return this.read('messages.log');
  }

  /** sipp's output and unexpected-message log, for failure messages. */
  get log(): string {
    return `${this.output}\n${this.read('errors.log').slice(-4000)}`;
  }

  async stop(): Promise<void> {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private read(name: string): string {
    try {
      return readFileSync(join(this.dir, name), 'utf8');
    } catch {
      return '';
    }
  }
}
