import type { CallStore } from '../call-store';
import type { Clock } from '../clock';
import type { EventLogBounds } from '../event-log';
import { MemoryCallRepository } from './memory-calls.repo';
import { MemoryEventLog } from './memory-event-log';
import { MemoryIdempotencyRepository } from './memory-idempotency.repo';
import { MemoryImrnRepository } from './memory-imrns.repo';
import { MemoryNonceRepository } from './memory-nonces.repo';
import { MemoryLimitRepository } from './memory-limits.repo';
import { MemoryNodeRegistry } from './memory-nodes.registry';
import { MemoryRegistrationRepository } from './memory-registrations.repo';

/** Embedded mode: the whole store in this process's memory, expiry driven by the injected clock. */
export class MemoryCallStore implements CallStore {
  readonly calls: MemoryCallRepository;
  readonly nodes: MemoryNodeRegistry;
  readonly registrations: MemoryRegistrationRepository;
  readonly limits: MemoryLimitRepository;
  readonly idempotency: MemoryIdempotencyRepository;
  readonly nonces: MemoryNonceRepository;
  readonly events: MemoryEventLog;
  readonly imrns: MemoryImrnRepository;

  constructor(clock: Clock, endedTtlMs: number, eventLog: EventLogBounds) {
    this.calls = new MemoryCallRepository(clock, endedTtlMs);
    this.nodes = new MemoryNodeRegistry(clock);
    this.registrations = new MemoryRegistrationRepository(clock);
    this.limits = new MemoryLimitRepository(clock, this.nodes);
    this.idempotency = new MemoryIdempotencyRepository(clock);
    this.nonces = new MemoryNonceRepository(clock);
    this.events = new MemoryEventLog(clock, eventLog, endedTtlMs);
    this.imrns = new MemoryImrnRepository(clock);
  }

  async ping(): Promise<void> {
    return undefined;
  }

  async close(): Promise<void> {
    return undefined;
  }
}
