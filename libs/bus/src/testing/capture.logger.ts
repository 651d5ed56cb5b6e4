import type { Logger } from '@legwork/common';

/** Records log lines so tests can assert that the bus reported what happened. */
export function captureLogger(): Logger & { lines: Array<{ level: string; msg: string }> } {
  const lines: Array<{ level: string; msg: string }> = [];
  const at = (level: string) => (obj: object | string, msg?: string) => void lines.push({ level, msg: typeof obj === 'string' ? obj : (msg ?? '') });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
