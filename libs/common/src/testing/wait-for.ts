export interface WaitForOptions {
  /** How long to keep trying; default 5 s. */
  timeoutMs?: number;
  /** Pause between two checks; default 20 ms. */
  intervalMs?: number;
  /** What was awaited, for the failure (a function is read only when it fails, e.g. to dump state). */
  message?: string | (() => string);
  /** Asked after each failed check: a reason here fails at once (e.g. the process being awaited exited). */
  abort?: () => string | undefined;
}

/** What a check yields once it holds: anything but false, undefined and null. */
export type Settled<T> = Exclude<T, false | undefined | null>;

function describe(message: WaitForOptions['message']): string {
  if (message === undefined) return 'condition';
  return typeof message === 'function' ? message() : message;
}

/**
 * The one polling helper of the tests: re-runs `check` until it returns something other than
 * false/undefined/null and resolves with that value; past `timeoutMs` it fails naming `message`.
 * A check that throws fails the wait with that error.
 */
export async function waitFor<T>(check: () => T | Promise<T>, options: WaitForOptions = {}): Promise<Settled<T>> {
  const { timeoutMs = 5_000, intervalMs = 20 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== false && value !== undefined && value !== null) return value as Settled<T>;
    const aborted = options.abort?.();
    if (aborted !== undefined) throw new Error(`${describe(options.message)}: ${aborted}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe(options.message)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
