/**
 * Base of every module's error class. `code` is a stable string that survives
 * the bus (it travels as `Error-Code`) and is what dialect filters map from.
 */
export class LegworkError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  toJSON(): { code: C; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isLegworkError(err: unknown): err is LegworkError {
  return err instanceof LegworkError;
}
