import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface SipJsEvent {
  event: string;
  state?: string;
  sdp?: string;
  callId?: string;
  message?: string;
}

export interface SipJsPeerConfig {
  server: string;
  user: string;
  realm: string;
  password: string;
  answerSdp: string;
}

/** The sip.js client (ESM) in a child Node process, so Jest's CommonJS runtime never loads it. */
export class SipJsPeer {
  readonly events: SipJsEvent[] = [];
  stderr = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(config: SipJsPeerConfig) {
    this.child = spawn(process.execPath, [join(__dirname, 'sipjs-peer.mjs'), JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let pending = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('{')) this.events.push(JSON.parse(line) as SipJsEvent);
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-10_000)));
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  has(event: string, state?: string): boolean {
    return this.events.some((e) => e.event === event && (state === undefined || e.state === state));
  }

  describe(): string {
    return `events: ${JSON.stringify(this.events)}\nstderr: ${this.stderr}`;
  }

  /** Asks for a clean unregister and exit; kills it if it does not go in time. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin?.write(`${JSON.stringify({ cmd: 'stop' })}\n`);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
