import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Closes, broker-side, every connection whose client-provided connection_name is exactly `connectionName`. */
export async function closeConnectionNamed(connectionName: string, reason = 'test'): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['list_connections', '-q', '--no-table-headers', 'pid', 'client_properties']);
  const marker = `{"connection_name",${JSON.stringify(connectionName)}}`;
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(marker))
    .map((line) => line.split('\t')[0] ?? '')
    .filter((pid) => pid.length > 0);
  for (const pid of pids) await run('rabbitmqctl', ['close_connection', pid, reason]);
  return pids.length;
}

/** The type (classic, quorum, stream) the broker gives each queue whose name starts with `prefix`. */
export async function queueTypes(prefix: string): Promise<Record<string, string>> {
  const { stdout } = await run('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', 'name', 'type']);
  const types: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const [name, type] = line.split('\t');
    if (name !== undefined && type !== undefined && name.startsWith(prefix)) types[name] = type.trim();
  }
  return types;
}
