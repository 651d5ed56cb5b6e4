import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BaresipOptions {
  /** The account line (baresip `accounts` file syntax). */
  account: string;
  listenPort: number;
}

/** A headless baresip in its own config directory; output kept for failure messages. */
export class BaresipPeer {
  output = '';
  private child: ChildProcess | undefined;
  private dir: string | undefined;
  private exited: Promise<void> = Promise.resolve();

  async start(opts: BaresipOptions): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'legwork-baresip-'));
    const config = [
      'module_path /usr/lib/baresip/modules',
      `sip_listen 127.0.0.1:${opts.listenPort}`,
      'audio_player aubridge,nil',
      'audio_source aubridge,nil',
      'module g711.so',
      'module aubridge.so',
      'module_tmp uuid.so',
      'module_tmp account.so',
      'rtp_ports 30000-39999',
      '',
    ].join('\n');
    await writeFile(join(this.dir, 'config'), config);
    await writeFile(join(this.dir, 'accounts'), `${opts.account}\n`);
    const child = spawn('baresip', ['-f', this.dir, '-4'], { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (err) => {
        this.output += String(err);
        resolve();
      });
    });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Stops baresip (SIGKILL if it lingers) and removes its config directory; safe to call twice. */
  async stop(): Promise<void> {
    if (this.running) {
      this.child?.kill('SIGTERM');
      const timer = setTimeout(() => this.child?.kill('SIGKILL'), 2000);
      await this.exited;
      clearTimeout(timer);
    }
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
