/** The slice of a pino logger that libs use, so they never depend on a logging package. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

const noop = (): void => undefined;

/** Discards everything: the default when a caller passes no logger. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
