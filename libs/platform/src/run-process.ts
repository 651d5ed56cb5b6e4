import { isLegworkError, type Logger } from '@legwork/common';
import { createLogger } from './logger';
import { installProcessFaultHandlers } from './process-faults';

export interface Closeable {
  close(): Promise<void>;
  /** Where faults that reach the process are logged once booted (before: a logger of the process's name). */
  logger?: Logger;
}

export interface RunProcessOptions {
  /** Name used in boot-failure messages on stderr. */
  name: string;
  signals?: NodeJS.Signals[];
  exit?: (code: number) => void;
  stderr?: (text: string) => void;
  /** Install the last-resort unhandledRejection/uncaughtException handlers (default true). */
  faultHandlers?: boolean;
}

export function describeBootError(err: unknown): string {
  if (isLegworkError(err)) return `${err.message} [${err.code}]`;
  if (err instanceof Error) return err.stack ?? err.message;
  return String(err);
}

/**
 * Process lifecycle shared by every entry point: boot, then close exactly once
 * on SIGINT/SIGTERM (exit 0); a boot or close failure prints why and exits 1.
 * A fault that escapes every call's barrier is logged and counted, never an exit.
 */
export async function runProcess(boot: () => Promise<Closeable>, options: RunProcessOptions): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  let running: Closeable | undefined;
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    try {
      await running?.close();
      exit(0);
    } catch (err) {
      stderr(`${options.name}: shutdown failed: ${describeBootError(err)}\n`);
      exit(1);
    }
  };
  let bootLogger: Logger | undefined;
  if (options.faultHandlers !== false) installProcessFaultHandlers(() => running?.logger ?? (bootLogger ??= createLogger(options.name)));
  // Listen before booting so a signal during boot still shuts down cleanly.
  for (const signal of signals) process.on(signal, () => void stop());
  try {
    running = await boot();
  } catch (err) {
    stderr(`${options.name}: failed to start: ${describeBootError(err)}\n`);
    exit(1);
  }
}
