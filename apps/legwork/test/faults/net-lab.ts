import { execFile, execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@legwork/common/testing';

const run = promisify(execFile);

/** One "host" of the lab: a network namespace with `lo` and one interface on the lab's bridge. */
export interface LabHost {
  name: string;
  ns: string;
  address: string;
}

/** Where a server of the test's own runs when not on the loopback of the test's host: a lab host and a port on it. */
export interface ServerPlace {
  /** The command as run on that host. */
  command(cmd: string, args: readonly string[]): [string, string[]];
  address: string;
  port: number;
  /** The 127.0.0.1 port the test process reaches it at (a forward). */
  reachPort: number;
}

/** Unix sockets are reached by path, whatever the network namespace: the root end of a forward listens on 127.0.0.1. */
const FORWARDER = `
const net = require('node:net');
for (const spec of process.argv.slice(1)) {
  const [path, host, port] = spec.split('|');
  net.createServer((inner) => {
    const outer = net.connect(Number(port), host);
    const end = () => { inner.destroy(); outer.destroy(); };
    inner.pipe(outer); outer.pipe(inner);
    for (const s of [inner, outer]) { s.on('error', end); s.on('close', end); }
  }).listen(path, () => process.stdout.write('ready ' + path + '\\n'));
}`;

/**
 * Hosts as network namespaces of the test's own, joined by veth pairs to a Linux bridge that lives in a namespace
 * of its own too: the root namespace gets no interface, address or route. Names are `lw<pid>-<tag>-<host>`.
 */
export class NetLab {
  readonly hosts = new Map<string, LabHost>();
  private readonly children = new Set<ChildProcess>();
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'netlab-'));
  private closed = false;

  private constructor(
    readonly prefix: string,
    private readonly ipCommand: string,
  ) {}

  get bridgeNs(): string {
    return `${this.prefix}-br`;
  }

  /**
   * The hosts get `<subnet>.2`, `.3`, … in the order named. Fails, naming the cause, where `ip netns` is not allowed.
   * `ip`: the iproute2 command.
   */
  static async create(names: readonly string[], opts: { subnet?: string; ip?: string } = {}): Promise<NetLab> {
    const subnet = opts.subnet ?? '10.77.0';
    const lab = new NetLab(`lw${process.pid}-${randomBytes(2).toString('hex')}`, opts.ip ?? 'ip');
    try {
      await run(lab.ipCommand, ['netns', 'add', lab.bridgeNs]);
    } catch (err) {
      lab.removeNamespaces();
      throw new Error(`this case needs network namespaces (root or CAP_SYS_ADMIN/CAP_NET_ADMIN, iproute2): \`ip netns add ${lab.bridgeNs}\` failed: ${(err as { stderr?: string }).stderr ?? String(err)}`);
    }
    try {
      await lab.ip(lab.bridgeNs, 'link', 'set', 'lo', 'up');
      await lab.ip(lab.bridgeNs, 'link', 'add', 'br0', 'type', 'bridge');
      await lab.ip(lab.bridgeNs, 'link', 'set', 'br0', 'up');
      for (const [i, name] of names.entries()) await lab.addHost(name, `v${i}`, `${subnet}.${i + 2}`);
    } catch (err) {
      await lab.close();
      throw err;
    }
    return lab;
  }

  private async addHost(name: string, port: string, address: string): Promise<void> {
    const ns = `${this.prefix}-${name}`;
    await run(this.ipCommand, ['netns', 'add', ns]);
    this.hosts.set(name, { name, ns, address });
    // created from inside the bridge's namespace with its peer put straight into the host's: never in the root one
    await this.ip(this.bridgeNs, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
    await this.ip(this.bridgeNs, 'link', 'set', port, 'master', 'br0', 'up');
    await this.ip(ns, 'link', 'set', 'lo', 'up');
    await this.ip(ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
    await this.ip(ns, 'link', 'set', 'eth0', 'up');
  }

  private async ip(ns: string, ...args: string[]): Promise<void> {
    await run(this.ipCommand, ['-n', ns, ...args]);
  }

  host(name: string): LabHost {
    const host = this.hosts.get(name);
    if (host === undefined) throw new Error(`no host ${name} in the lab`);
    return host;
  }

  /** `cmd args` as run on that host (`ip netns exec` execs the command itself: the child's pid is the command's). */
  command(name: string, cmd: string, args: readonly string[]): [string, string[]] {
    return [this.ipCommand, ['netns', 'exec', this.host(name).ns, cmd, ...args]];
  }

  place(name: string, port: number, reachPort: number): ServerPlace {
    return { command: (cmd, args) => this.command(name, cmd, args), address: this.host(name).address, port, reachPort };
  }

  spawn(name: string, cmd: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
    const [ip, full] = this.command(name, cmd, args);
    const child = spawn(ip, full, { stdio: 'ignore', ...opts });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Runs a command on a host to its end; rejects on a non-zero exit. */
  async exec(name: string, cmd: string, args: readonly string[]): Promise<string> {
    const [ip, full] = this.command(name, cmd, args);
    return (await run(ip, full)).stdout;
  }

  /**
   * A way in for the test process, which stays in the root namespace: a forwarder on host `from` connects to each
   * target, and each is reached at the returned `127.0.0.1:port` (through a Unix socket between the two).
   */
  async forward(from: string, targets: ReadonlyArray<{ host: string; port: number }>): Promise<number[]> {
    const paths = targets.map((_, i) => join(this.dir, `fwd-${this.servers.length + i}.sock`));
    const specs = targets.map((t, i) => `${paths[i]}|${this.host(t.host).address}|${t.port}`);
    const child = this.spawn(from, process.execPath, ['-e', FORWARDER, ...specs], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => paths.every((p) => out.includes(`ready ${p}`)), { message: () => `forwarder on ${from}: ${out}`, timeoutMs: 15_000, intervalMs: 50 });
    return Promise.all(paths.map((path) => this.listenFor(path)));
  }

  private listenFor(path: string): Promise<number> {
    const server = createServer((outer) => {
      const inner = netConnect(path);
      const end = (): void => {
        outer.destroy();
        inner.destroy();
      };
      for (const s of [outer, inner]) {
        this.sockets.add(s);
        s.on('error', end);
        s.on('close', () => {
          end();
          this.sockets.delete(s);
        });
      }
      outer.pipe(inner);
      inner.pipe(outer);
    });
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  }

  /** Kills what runs in the lab (what the test started there, and what those left behind, such as epmd), then deletes every namespace. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
    const exits = [...this.children].map((c) => new Promise((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve(null) : c.once('exit', resolve))));
    for (const c of this.children) c.kill('SIGKILL');
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 5000))]);
    this.removeNamespaces();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private removeNamespaces(): void {
    for (const ns of [...[...this.hosts.values()].map((h) => h.ns), this.bridgeNs]) {
      try {
        const pids = execFileSync(this.ipCommand, ['netns', 'pids', ns], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\n').filter((p) => /^\d+$/.test(p));
        for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
      } catch {
        // no such namespace (any more)
      }
      try {
        execFileSync(this.ipCommand, ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
  }
}
