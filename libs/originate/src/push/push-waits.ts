import type { DevicePush } from './push.types';

/** A binding that a REGISTER wrote (here or on another node, announced on the bus), with its push parameters. */
export interface WokenBinding {
  aor: string;
  /** The Contact URI as stored. */
  contact: string;
  transport: string;
  /** The node holding the REGISTER's connection. */
  ownerNode: string;
  push: DevicePush;
}

export type WaitOutcome = { kind: 'registered'; binding: WokenBinding; afterMs: number } | { kind: 'timeout' } | { kind: 'cancelled'; cause: string };

/** One leg parked until its device registers. */
export interface PushWait {
  readonly callId: string;
  readonly push: DevicePush;
  /** Epoch ms the wait began (the push went out right after). */
  readonly since: number;
  readonly outcome: Promise<WaitOutcome>;
  /** Ends the wait (the leg is cancelled); false when it was already over. */
  cancel(cause: string): boolean;
}

/** RFC 8599 §5.6: the REGISTER that wakes a leg has the same pn-provider and pn-prid, and the same pn-param when the leg has one. */
export function sameDevice(waiting: DevicePush, registered: DevicePush): boolean {
  return waiting.provider.toLowerCase() === registered.provider.toLowerCase() && waiting.prid === registered.prid && (waiting.param === undefined || waiting.param === registered.param);
}

/**
 * The legs of this node waiting for a device to register after a push: found by device (prid) or by call id, woken
 * by any node's REGISTER, cancelled by the leg; each wait ends once, by registration, timeout or cancellation.
 */
export class PushWaits {
  private readonly byCall = new Map<string, PushWait>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Parks `callId` until its device registers or `timeoutMs` passes; a second wait for the same call id replaces none (it is refused). */
  wait(callId: string, push: DevicePush, timeoutMs: number): PushWait {
    if (this.byCall.has(callId)) throw new Error(`call ${callId} already waits for a push wake-up`);
    const since = this.now();
    let settle!: (outcome: WaitOutcome) => void;
    const outcome = new Promise<WaitOutcome>((resolve) => (settle = resolve));
    let open = true;
    const finish = (o: WaitOutcome): boolean => {
      if (!open) return false;
      open = false;
      clearTimeout(timer);
      if (this.byCall.get(callId) === wait) this.byCall.delete(callId);
      settle(o);
      return true;
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), Math.max(0, timeoutMs));
    const wait: PushWait & { wake(binding: WokenBinding): boolean } = {
      callId, push, since, outcome,
      cancel: (cause) => finish({ kind: 'cancelled', cause }),
      wake: (binding) => finish({ kind: 'registered', binding, afterMs: Math.max(0, this.now() - since) }),
    };
    this.byCall.set(callId, wait);
    return wait;
  }

  /** A device registered: every leg waiting for it is woken; returns their call ids. */
  wake(binding: WokenBinding): string[] {
    const woken: string[] = [];
    for (const wait of [...this.byCall.values()]) {
      if (sameDevice(wait.push, binding.push) && (wait as PushWait & { wake(b: WokenBinding): boolean }).wake(binding)) woken.push(wait.callId);
    }
    return woken;
  }

  /** Cancels the wait of one leg; false when that leg waits for nothing here. */
  cancel(callId: string, cause: string): boolean {
    return this.byCall.get(callId)?.cancel(cause) ?? false;
  }

  find(callId: string): PushWait | undefined {
    return this.byCall.get(callId);
  }

  /** The legs waiting for this device (by pn-prid). */
  waitingFor(prid: string): PushWait[] {
    return [...this.byCall.values()].filter((w) => w.push.prid === prid);
  }

  get size(): number {
    return this.byCall.size;
  }
}
