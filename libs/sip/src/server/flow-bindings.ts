import { type CallStore, type Contact, type ContactRef, contactKey } from '@legwork/call-state';
import type { Logger } from '@legwork/common';

/** Bindings registered over each stream connection this node holds, so they go when the connection goes. */
export class FlowBindings {
  private readonly byFlow = new Map<string, Map<string, { aor: string; ref: ContactRef }>>();

  constructor(
    private readonly calls: CallStore,
    private readonly logger: Logger,
  ) {}

  holds(flowId: string): boolean {
    return this.byFlow.has(flowId);
  }

  get size(): number {
    return this.byFlow.size;
  }

  /** After a successful REGISTER on a flow: `bindings` are all of the AOR's, so they replace what the flow held for it. */
  track(flowId: string, aor: string, bindings: Contact[]): void {
    const entries = this.byFlow.get(flowId) ?? new Map<string, { aor: string; ref: ContactRef }>();
    // bindings of this AOR that moved elsewhere or were removed are no longer carried by this flow
    for (const [key, entry] of entries) if (entry.aor === aor) entries.delete(key);
    for (const b of bindings) {
      if (b.flowToken !== flowId) continue;
      entries.set(`${aor}|${contactKey(b)}`, { aor, ref: { uri: b.uri, instanceId: b.instanceId, regId: b.regId } });
    }
    if (entries.size > 0) this.byFlow.set(flowId, entries);
    else this.byFlow.delete(flowId);
  }

  /** RFC 5626 §5.3: a binding whose flow closed is unusable; remove it unless a newer REGISTER moved it to another flow. */
  async flowClosed(flowId: string): Promise<number> {
    const entries = this.byFlow.get(flowId);
    this.byFlow.delete(flowId);
    if (entries === undefined) return 0;
    let removed = 0;
    for (const { aor, ref } of entries.values()) {
      try {
        const current = (await this.calls.registrations.list(aor)).find((c) => contactKey(c) === contactKey(ref));
        if (current === undefined || current.flowToken !== flowId || !dependsOnFlow(current)) continue;
        if (await this.calls.registrations.remove(aor, ref)) removed++;
      } catch (err) {
        this.logger.warn({ err, aor, flowId }, 'sip server: could not drop a binding of a closed flow');
      }
    }
    return removed;
  }
}

/** WebSocket clients cannot be dialled back, outbound (reg-id) bindings are defined by their flow. */
function dependsOnFlow(contact: Contact): boolean {
  return contact.transport === 'ws' || contact.transport === 'wss' || contact.regId !== undefined;
}
