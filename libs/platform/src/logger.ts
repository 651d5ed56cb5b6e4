import { hostname } from 'node:os';
import pino, { type DestinationStream } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { LogFormat, LogLevel } from './config.schema';

export type AppLogger = pino.Logger;

export interface LoggerOptions {
  /** Defaults to the host name; apps pass their NODE_ID. */
  node?: string;
  /** Defaults to stdout (synchronous, so nothing is lost on exit). */
  destination?: DestinationStream;
  /** `json` (one object a line) or `pretty` (one readable line per entry); default json. */
  format?: 'json' | 'pretty';
}

/** `auto` means readable lines for a person at a terminal and JSON for anything that parses them. */
export function resolveLogFormat(setting: LogFormat, isTty: boolean = process.stdout.isTTY === true): 'json' | 'pretty' {
  return setting === 'auto' ? (isTty ? 'pretty' : 'json') : setting;
}

let stdout: DestinationStream | undefined;

// Formats each JSON line in place (no worker, no async pipe), so pretty output is as synchronous as JSON.
function prettyInto(destination: DestinationStream): DestinationStream {
  const pretty = prettyFactory({
    colorize: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,node,app,context',
    messageFormat: '{app}{if context} [{context}]{end}: {msg}',
  });
  return { write: (line: string) => destination.write(pretty(line)) };
}

/** One logger per app; every entry carries `app` and `node` (JSON lines, or pretty ones for a terminal). */
export function createLogger(appName: string, level: LogLevel = 'info', options: LoggerOptions = {}): AppLogger {
  stdout ??= pino.destination({ fd: 1, sync: true });
  const destination = options.destination ?? stdout;
  return pino(
    {
      level,
      base: { app: appName, node: options.node ?? hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.format === 'pretty' ? prettyInto(destination) : destination,
  );
}
