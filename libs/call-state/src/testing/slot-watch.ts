import { type Command, Redis } from 'ioredis';
import { keySlot } from './key-slot';

type Stream = Parameters<Redis['sendCommand']>[1];

/** What Redis receives as one unit: a lone command, a pipeline, or a MULTI…EXEC block. */
export interface SentUnit {
  kind: 'command' | 'pipeline' | 'multi';
  commands: string[];
  keys: string[];
  slots: number[];
}

export interface SlotWatch {
  units(): SentUnit[];
  /** Units whose keys span more than one Cluster slot: what Redis Cluster refuses with CROSSSLOT. */
  crossSlot(): SentUnit[];
  stop(): void;
}

/**
 * Test-only: records every command any ioredis client in this process sends, grouped the way the
 * server receives it (ioredis hands all commands of one pipeline or MULTI the same stream object).
 */
export function watchSlots(): SlotWatch {
  const original = Object.getOwnPropertyDescriptor(Redis.prototype, 'sendCommand');
  const send = Redis.prototype.sendCommand;
  const units: SentUnit[] = [];
  const batches = new Map<object, SentUnit>();
  const slotSets = new Map<SentUnit, Set<number>>();

  function record(command: Command, stream: Stream): void {
    const batched = stream !== undefined && 'isPipeline' in stream && stream.isPipeline === true;
    let unit = batched ? batches.get(stream) : undefined;
    if (!unit) {
      unit = { kind: batched ? 'pipeline' : 'command', commands: [], keys: [], slots: [] };
      units.push(unit);
      slotSets.set(unit, new Set());
      if (batched) batches.set(stream, unit);
    }
    const name = command.name.toLowerCase();
    if (name === 'multi') unit.kind = 'multi';
    unit.commands.push(name);
    const slots = slotSets.get(unit) ?? new Set<number>();
    for (const key of command.getKeys()) {
      unit.keys.push(String(key));
      slots.add(keySlot(key));
    }
    unit.slots = [...slots];
  }

  Redis.prototype.sendCommand = function watched(this: Redis, command: Command, stream?: Stream): unknown {
    record(command, stream);
    return send.call(this, command, stream);
  };

  return {
    units: () => [...units],
    crossSlot: () => units.filter((unit) => unit.slots.length > 1),
    stop: () => {
      if (original) Object.defineProperty(Redis.prototype, 'sendCommand', original);
    },
  };
}
