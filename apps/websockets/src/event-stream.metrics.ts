import { Gauge, type Registry } from 'prom-client';
import type { EventStreamServer } from '@legwork/event-stream';

/** Exposes the stream's live figures on the app's /metrics, read at scrape time. */
export function registerEventStreamMetrics(registry: Registry, server: EventStreamServer): void {
  new Gauge({
    name: 'legwork_websocket_connections',
    help: 'Open blackhole websocket connections',
    registers: [registry],
    collect() {
      this.set(server.connectionCount);
    },
  });
  new Gauge({
    name: 'legwork_websocket_refused_total',
    help: 'Upgrades refused for exceeding the per-IP connection limit',
    registers: [registry],
    collect() {
      this.set(server.refusedConnections);
    },
  });
  new Gauge({
    name: 'legwork_websocket_resumes_total',
    help: 'Subscribes with since served from the event log, by whether the log still held everything after the cursor',
    labelNames: ['complete'],
    registers: [registry],
    collect() {
      this.set({ complete: 'true' }, server.resumes.complete);
      this.set({ complete: 'false' }, server.resumes.incomplete);
    },
  });
  new Gauge({
    name: 'legwork_websocket_replayed_entries_total',
    help: 'Event log entries read to serve resumes',
    registers: [registry],
    collect() {
      this.set(server.resumes.entries);
    },
  });
  new Gauge({
    name: 'legwork_websocket_server_closes_total',
    help: 'Sockets closed by the server, by close code (4001 credentials revoked, 4008 slow consumer, 1001 shutdown)',
    labelNames: ['code'],
    registers: [registry],
    collect() {
      for (const [code, count] of server.serverCloseCounts()) this.set({ code: String(code) }, count);
    },
  });
}
