import type { Logger } from '@legwork/common';
import { Counter } from 'prom-client';
import { getProcessRegistry } from './metrics-registry';

export type ProcessFaultKind = 'unhandled_rejection' | 'uncaught_exception';

let counter: Counter<'kind'> | undefined;

/** `legwork_process_faults_total{kind}` in every app's /metrics (the process registry). */
export function processFaultCounter(): Counter<'kind'> {
  if (counter === undefined) {
    counter = new Counter({
      name: 'legwork_process_faults_total',
      help: 'Errors that escaped every per-call and per-message barrier and reached the process handlers, by kind',
      labelNames: ['kind'],
      registers: [getProcessRegistry()],
    });
    for (const kind of ['unhandled_rejection', 'uncaught_exception'] as const) counter.inc({ kind }, 0);
  }
  return counter;
}

/** The call an error belongs to, when the code that raised it said (LegworkError details or a callId property). */
function callIdOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const own = (err as { callId?: unknown }).callId;
  const details = (err as { details?: { callId?: unknown } }).details?.callId;
  const id = own ?? details;
  return typeof id === 'string' ? id : undefined;
}

/** Logs and counts one fault that reached the process; never throws, never exits. */
export function reportProcessFault(kind: ProcessFaultKind, err: unknown, logger: Logger): void {
  try {
    processFaultCounter().inc({ kind });
    const callId = callIdOf(err);
    logger.error({ err, kind, ...(callId !== undefined ? { callId } : {}) }, 'fault reached the process: logged and counted, the node keeps serving');
  } catch {
    // the last resort must not become the next fault
  }
}

let installed: (() => void) | undefined;

/**
 * Last resort for the whole process: an unhandled rejection or uncaught exception is logged and counted, and the
 * node goes on serving (every call and message has its own barrier; what gets here is a bug to fix, not a reason to
 * drop every other call). Installed once; returns the uninstaller.
 */
export function installProcessFaultHandlers(logger: () => Logger): () => void {
  if (installed !== undefined) return installed;
  const onRejection = (reason: unknown): void => reportProcessFault('unhandled_rejection', reason, logger());
  const onException = (err: Error): void => reportProcessFault('uncaught_exception', err, logger());
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  processFaultCounter();
  const uninstall = (): void => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    installed = undefined;
  };
  installed = uninstall;
  return uninstall;
}
