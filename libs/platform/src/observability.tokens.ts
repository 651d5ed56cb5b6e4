import type { HealthCheck } from './health-checks';

export interface ObservabilityOptions {
  appName: string;
  checks: Record<string, HealthCheck>;
  /** Bound on each check; defaults to 2 s. */
  checkTimeoutMs?: number;
}

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');
/** Inject this to register app-specific metrics on the app's own registry. */
export const APP_METRICS = Symbol('APP_METRICS');
