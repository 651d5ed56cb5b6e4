import { waitFor } from '@legwork/common/testing';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { freePort } from '@legwork/originate/testing';
import type { ServerPlace } from './net-lab';

const run = promisify(execFile);

/**
 * A RabbitMQ node of the test's own (its own node name, ports, database and config), started in the foreground as
 * a child; the machine's broker is never touched. `restart()` stops and starts the whole node on the same database.
 */
export class OwnRabbit {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly distPort: number,
    readonly nodeName: string,
    private readonly dir: string,
    private readonly place?: ServerPlace,
  ) {}

  /** On free ports of 127.0.0.1, or at `place` (a lab host, where its epmd and distribution ports are its own). */
  static async start(place?: ServerPlace): Promise<OwnRabbit> {
    const [port, distPort] = [place?.port ?? (await freePort()), await freePort()];
    const dir = mkdtempSync(join(tmpdir(), 'fault-rabbit-'));
    writeFileSync(join(dir, 'plugins'), '[].\n');
    // the node's own config: the system one binds 5672, which belongs to the machine's broker
    writeFileSync(join(dir, 'rabbitmq.conf'), `listeners.tcp.local = ${place?.address ?? '127.0.0.1'}:${port}\nloopback_users = none\n`);
    const rabbit = new OwnRabbit(port, distPort, `lwfault${port}@localhost`, dir, place);
    rabbit.giveToBrokerUser();
    await rabbit.up();
    return rabbit;
  }

  /** Where the test process reaches it. */
  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.place?.reachPort ?? this.port}`;
  }

  /** Where the apps reach it: the same as `url` unless it runs on a lab host. */
  get innerUrl(): string {
    return this.place === undefined ? this.url : `amqp://guest:guest@${this.place.address}:${this.port}`;
  }

  private command(cmd: string, args: string[]): [string, string[]] {
    return this.place?.command(cmd, args) ?? [cmd, args];
  }

  private get env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      RABBITMQ_NODENAME: this.nodeName,
      RABBITMQ_NODE_PORT: String(this.port),
      RABBITMQ_DIST_PORT: String(this.distPort),
      RABBITMQ_MNESIA_BASE: join(this.dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(this.dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(this.dir, 'plugins'),
      RABBITMQ_CONFIG_FILE: join(this.dir, 'rabbitmq.conf'),
    };
  }

  /** Run as root, the server script drops to the broker's user, which must own the node's files. */
  private giveToBrokerUser(): void {
    if (process.getuid?.() !== 0) return;
    try {
      const uid = Number(execFileSync('id', ['-u', 'rabbitmq']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'rabbitmq']).toString().trim());
      for (const p of [this.dir, join(this.dir, 'plugins'), join(this.dir, 'rabbitmq.conf')]) chownSync(p, uid, gid);
    } catch {
      // no such user: the script runs as us
    }
  }

  /** Starts the node and resolves once an AMQP connection opens. */
  async up(): Promise<void> {
    const [cmd, args] = this.command('rabbitmq-server', []);
    this.child = spawn(cmd, args, { env: this.env, stdio: 'ignore', detached: true });
    await waitFor(async () => {
      try {
        const conn = await connect(this.url);
        await conn.close();
        return true;
      } catch {
        return false;
      }
    }, { message: `RabbitMQ node ${this.nodeName} on ${this.port}`, timeoutMs: 90_000, intervalMs: 500 });
  }

  /** Stops the node cleanly (rabbitmqctl stop): every connection is closed by the broker. */
  async down(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined) return;
    const exited = child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : Promise.resolve();
    const [cmd, args] = this.command('rabbitmqctl', ['-n', this.nodeName, 'stop']);
    await run(cmd, args, { env: this.env }).catch(() => undefined);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }

  async stop(): Promise<void> {
    await this.down();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
