import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './sipp-process';

/** A long-running sipp (phone or carrier) on 127.0.0.1 with its SIP messages traced to a file. */
export class SippPeer {
  private output = '';
  readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly dir: string,
  ) {
    const keep = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('error', () => resolve(-1));
      child.once('exit', (code) => resolve(code));
    });
  }

  static async start(args: string[], port?: number): Promise<SippPeer> {
    const sipPort = port ?? (await freePort());
    const media = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'sipp-peer-'));
    const child = spawn(
      'sipp',
      [...args, '-i', '127.0.0.1', '-p', String(sipPort), '-mp', String(media), '-nostdin', '-trace_msg', '-message_file', join(dir, 'messages.log'), '-timeout', '150s', '-timeout_error'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return new SippPeer(child, sipPort, dir);
  }

  /** Every SIP message sipp sent or received so far. */
  messages(): string {
    try {
      return readFileSync(join(this.dir, 'messages.log'), 'utf8');
    } catch {
      return '';
    }
  }

  get log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
