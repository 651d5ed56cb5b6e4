import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIPP_SCENARIOS, freePort } from '@legwork/originate/testing';
import { freeMediaPort } from '@legwork/sip/testing';

/**
 * A sipp UAS that takes any number of calls for the whole case: `phone` answers after 100 ms and hangs up
 * `holdMs` after the ACK; `carrier` answers and waits for the platform's BYE.
 */
export class AnsweringPeer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly dir: string,
    readonly exited: Promise<number | null>,
  ) {}

  static async start(kind: 'phone' | 'carrier', holdMs = 3000): Promise<AnsweringPeer> {
    const dir = mkdtempSync(join(tmpdir(), `fault-${kind}-`));
    const scenario = join(dir, `${kind}.xml`);
    if (kind === 'phone') {
      const xml = readFileSync(join(SIPP_SCENARIOS, 'phone-answer.xml'), 'utf8')
        .replace(/timeout="\d+"( ontimeout="answer")/, 'timeout="100"$1')
        .replace(/timeout="\d+"( ontimeout="hangup")/, `timeout="${holdMs}"$1`);
      writeFileSync(scenario, xml);
    } else {
      writeFileSync(scenario, readFileSync(join(SIPP_SCENARIOS, 'carrier-answer.xml'), 'utf8'));
    }
    const [port, media] = [await freePort(), await freeMediaPort()];
    const args = ['-sf', scenario, '-t', 'u1', '-s', kind, '-i', '127.0.0.1', '-p', String(port), '-mp', String(media), '-key', 'sdp_ip', '127.0.0.1', '-key', 'sdp_port', String(media), '-nostdin'];
    const child = spawn('sipp', args, { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return new AnsweringPeer(child, port, dir, exited);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
