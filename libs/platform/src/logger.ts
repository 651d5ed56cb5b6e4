import { hostname } from 'node:os';
import pino, { type DestinationStream } from 'pino';
import type { LogLevel } from './config.schema';

export type AppLogger = pino.Logger;

export interface LoggerOptions {
  /** Defaults to the host name; apps pass their NODE_ID. */
  node?: string;
  /** Defaults to stdout (synchronous, so nothing is lost on exit). */
  destination?: DestinationStream;
}

let stdout: DestinationStream | undefined;

/** One JSON logger per app; every line carries `app` and `node`. */
export function createLogger(appName: string, level: LogLevel = 'info', options: LoggerOptions = {}): AppLogger {
  stdout ??= pino.destination({ fd: 1, sync: true });
  return pino(
    {
      level,
      base: { app: appName, node: options.node ?? hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? stdout,
  );
}
