import { waitFor } from '@legwork/common/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '@legwork/originate/testing';
import type { ServerPlace } from './net-lab';

/**
 * A redis-server of the test's own on a free port, so killing it touches nobody else. It keeps an append-only file
 * (fsync always) in a scratch dir: a restart then brings the platform's data back, as a production Redis would,
 * and the fault is the outage alone, not a wiped directory.
 */
export class OwnRedis {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly place?: ServerPlace,
  ) {}

  /** On a free port of 127.0.0.1, or at `place` (a lab host). */
  static async start(place?: ServerPlace): Promise<OwnRedis> {
    const redis = new OwnRedis(place?.port ?? (await freePort()), mkdtempSync(join(tmpdir(), 'fault-redis-')), place);
    await redis.up();
    return redis;
  }

  /** Where the test process reaches it. */
  get url(): string {
    return `redis://127.0.0.1:${this.place?.reachPort ?? this.port}`;
  }

  /** Where the apps reach it: the same as `url` unless it runs on a lab host. */
  get innerUrl(): string {
    return this.place === undefined ? this.url : `redis://${this.place.address}:${this.port}`;
  }

  /** Starts the server (again) on the same port and data dir; resolves once it answers PING. */
  async up(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', this.place?.address ?? '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'];
    // without a password Redis answers only loopback clients; a lab's network is the test's own
    if (this.place !== undefined) args.push('--protected-mode', 'no');
    const [cmd, full] = this.place?.command('redis-server', args) ?? ['redis-server', args];
    this.child = spawn(cmd, full, { stdio: 'ignore' });
    await waitFor(async () => {
      const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        probe.disconnect();
      }
    }, { message: `redis-server on ${this.port}`, timeoutMs: 15_000, intervalMs: 100 });
  }

  /** SIGKILL: no goodbye to any client. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
