import { Gauge, type Registry } from 'prom-client';
import type { TransportStats } from '@legwork/sip';

const CLOSED_BY: Record<string, keyof TransportStats> = { first_message: 'closedNoFirstMessage', incomplete_message: 'closedIncompleteMessage', idle: 'closedIdle' };

/** SIP stream connection figures on the app's /metrics, read at scrape time (nothing while SIP is not running). */
export function registerSipConnectionMetrics(registry: Registry, stats: () => TransportStats | undefined, flows: () => number | undefined): void {
  new Gauge({
    name: 'legwork_sip_stream_connections',
    help: 'Open SIP stream connections (TCP, TLS, WS, WSS; in and out)',
    registers: [registry],
    collect() {
      const open = flows();
      if (open !== undefined) this.set(open);
    },
  });
  new Gauge({
    name: 'legwork_sip_connections_refused_total',
    help: 'SIP stream connections refused at accept, by reason (per_source share or the ceiling)',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      const s = stats();
      if (s === undefined) return;
      this.set({ reason: 'per_source' }, s.refusedPerSource);
      this.set({ reason: 'ceiling' }, s.refusedConnections - s.refusedPerSource);
    },
  });
  new Gauge({
    name: 'legwork_sip_connections_timed_out_total',
    help: 'SIP stream connections closed by a deadline: no first message, a message left unfinished, idle',
    labelNames: ['deadline'],
    registers: [registry],
    collect() {
      const s = stats();
      if (s === undefined) return;
      for (const [deadline, key] of Object.entries(CLOSED_BY)) this.set({ deadline }, s[key]);
    },
  });
}
