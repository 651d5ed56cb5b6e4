import { Counter } from 'prom-client';
import type { AuthAttempt, AuthThrottleEvent } from '@legwork/directory';
import { getProcessRegistry } from './metrics-registry';

let counters: { failures: Counter<'surface'>; refused: Counter<'surface'> } | undefined;

// Process-wide: every app of the process shares one directory throttle per infrastructure, and /metrics shows the process registry.
export function registerAuthMetrics() {
  counters ??= {
    failures: new Counter({ name: 'legwork_auth_failures_total', help: 'Failed authentications (REST logins, SIP digest), by surface', labelNames: ['surface'], registers: [getProcessRegistry()] }),
    refused: new Counter({ name: 'legwork_auth_throttled_total', help: 'Authentication attempts refused by the failure throttle, by surface', labelNames: ['surface'], registers: [getProcessRegistry()] }),
  };
  return counters;
}

export function countAuthEvent(event: AuthThrottleEvent, attempt: AuthAttempt): void {
  const c = registerAuthMetrics();
  (event === 'failure' ? c.failures : c.refused).inc({ surface: attempt.surface });
}
