import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';

/** A throwaway RabbitMQ cluster of real nodes beside the shared broker (own node names, ports and data). */
export interface ScratchRabbitCluster {
  nodes: Array<{ name: string; url: string }>;
  /** Hard-kills one node (SIGKILL to its whole process group): a crash, not a shutdown. */
  kill(index: number): void;
  /** Whether the node's AMQP port still accepts connections. */
  answers(index: number): Promise<boolean>;
  /** A quorum queue's leader and members, as the node at `via` reports them. */
  quorumMembers(via: number, queue: string): Promise<{ leader: string; members: string[] }>;
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePort(taken: number[]): Promise<number> {
  for (;;) {
    const port = 41000 + Math.floor(Math.random() * 8000);
    if (!taken.includes(port) && (await portFree(port))) return port;
  }
}

function ctl(node: string, ...args: string[]): Promise<{ stdout: string }> {
  return run('rabbitmqctl', ['-n', node, ...args], { timeout: 120_000 });
}

async function uid(user: string): Promise<number> {
  return Number((await run('id', ['-u', user])).stdout.trim());
}

/** Until the node runs: await_startup fails at once while the node has not yet registered with epmd. */
async function awaitStartup(node: string, child: ChildProcess | undefined, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child?.exitCode !== null && child?.exitCode !== undefined) throw new Error(`rabbit cluster: ${node} exited with ${child.exitCode}`);
    try {
      await ctl(node, 'await_startup', '--timeout', '20');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** Starts `size` RabbitMQ nodes as the rabbitmq user (sharing its Erlang cookie), joins them to the first, waits until all run. */
export async function startRabbitCluster(size = 3): Promise<ScratchRabbitCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'lw-rabbit-cluster-'));
  const owner = await uid('rabbitmq');
  await chown(dir, owner, owner);
  const tag = randomBytes(3).toString('hex');
  const children: ChildProcess[] = [];
  const taken: number[] = [];
  const nodes: Array<{ name: string; url: string }> = [];
  const kill = (index: number): void => {
    const pid = children[index]?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const stop = async (): Promise<void> => {
    children.forEach((_, i) => kill(i));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i += 1) {
      const amqp = await freePort(taken);
      taken.push(amqp);
      const dist = await freePort(taken);
      taken.push(dist);
      const name = `lwt${tag}-${i + 1}@localhost`;
      const base = join(dir, `n${i + 1}`);
      const env = {
        ...process.env,
        HOME: '/var/lib/rabbitmq',
        RABBITMQ_NODENAME: name,
        RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
        RABBITMQ_NODE_PORT: String(amqp),
        RABBITMQ_DIST_PORT: String(dist),
        RABBITMQ_MNESIA_BASE: join(base, 'mnesia'),
        RABBITMQ_LOG_BASE: join(base, 'log'),
        RABBITMQ_PID_FILE: join(base, 'pid'),
        RABBITMQ_ENABLED_PLUGINS_FILE: join(base, 'enabled_plugins'),
        // no file there: the shared broker's configuration is not read
        RABBITMQ_CONFIG_FILE: join(base, 'rabbitmq'),
        RABBITMQ_ADVANCED_CONFIG_FILE: join(base, 'advanced.config'),
      };
      // detached: its own process group, so kill() takes the node's whole tree
      children.push(spawn('runuser', ['-u', 'rabbitmq', '--', SERVER], { env, cwd: dir, detached: true, stdio: 'ignore' }));
      nodes.push({ name, url: `amqp://guest:guest@127.0.0.1:${amqp}` });
    }
    await Promise.all(nodes.map((n, i) => awaitStartup(n.name, children[i])));
    for (const n of nodes.slice(1)) {
      await ctl(n.name, 'stop_app');
      await ctl(n.name, 'join_cluster', nodes[0].name);
      await ctl(n.name, 'start_app');
    }
    const { stdout } = await ctl(nodes[0].name, 'cluster_status', '--formatter', 'json');
    const running = (JSON.parse(stdout) as { running_nodes?: string[] }).running_nodes ?? [];
    if (running.length !== size) throw new Error(`rabbit cluster: ${running.length} of ${size} nodes running`);
  } catch (err) {
    await stop();
    throw err;
  }
  const answers = (index: number): Promise<boolean> =>
    new Promise((resolve) => {
      const socket = connect(Number(new URL(nodes[index].url).port), '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  const quorumMembers = async (via: number, queue: string) => {
    const { stdout } = await ctl(nodes[via].name, 'list_queues', 'name', 'leader', 'members', '--formatter', 'json');
    const found = (JSON.parse(stdout) as Array<{ name: string; leader: string; members: string[] }>).find((q) => q.name === queue);
    if (found === undefined) throw new Error(`rabbit cluster: no queue ${queue}`);
    return { leader: found.leader, members: found.members };
  };
  return { nodes, kill, answers, quorumMembers, stop };
}
