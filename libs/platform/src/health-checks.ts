export type HealthCheck = () => Promise<void>;

export interface HealthReport {
  status: 'ok' | 'error';
  checks: Record<string, 'ok' | 'error'>;
  /** Present only when a check failed: its message, keyed like `checks`. */
  errors?: Record<string, string>;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

function withTimeout(check: HealthCheck, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  // A check that throws synchronously is a failed check, not a crashed endpoint.
  const run = Promise.resolve().then(check);
  return Promise.race([run, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every check in parallel, each bounded, and reports them all. */
export async function runHealthChecks(
  checks: Record<string, HealthCheck>,
  timeoutMs = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<HealthReport> {
  const names = Object.keys(checks);
  const results = await Promise.allSettled(names.map((name) => withTimeout(checks[name], timeoutMs)));
  const report: HealthReport = { status: 'ok', checks: {} };
  results.forEach((result, i) => {
    const name = names[i];
    if (result.status === 'fulfilled') {
      report.checks[name] = 'ok';
      return;
    }
    report.status = 'error';
    report.checks[name] = 'error';
    const reason: unknown = result.reason;
    report.errors = { ...report.errors, [name]: reason instanceof Error ? reason.message : String(reason) };
  });
  return report;
}
