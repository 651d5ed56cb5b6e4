import { CallStateError } from '../call-state.errors';
import { parseInput, callPatchSchema, newCallSchema } from '../call-record';
import type { CallPatch, CallRecord, EndResult, NewCall } from '../call-record';
import { type CallHash, decodeCall, encodeNewCall, encodePatch } from '../call-record.codec';
import { type LegEvent, STATE_TIMESTAMP, transition } from '../call-state.machine';
import type { CallRepository } from '../call-store';
import { check } from '../call-store.validate';
import type { Clock } from '../clock';

interface Entry {
  hash: CallHash;
  expiresAt?: number;
}

/** In-process twin of the Redis call records: same hash shape, same rules, synchronous so atomic. */
export class MemoryCallRepository implements CallRepository {
  private readonly calls = new Map<string, Entry>();
  private readonly byAccount = new Map<string, Set<string>>();
  private readonly byNode = new Map<string, Set<string>>();

  constructor(
    private readonly clock: Clock,
    private readonly endedTtlMs: number,
  ) {}

  async create(input: NewCall): Promise<CallRecord> {
    const call = parseInput(newCallSchema, input, 'call');
    if (this.entry(call.callId)) throw new CallStateError('call_exists', `call ${call.callId} exists`, { callId: call.callId });
    const hash = encodeNewCall(call, this.clock.now());
    this.calls.set(call.callId, { hash });
    indexAdd(this.byAccount, call.accountId, call.callId);
    indexAdd(this.byNode, call.nodeId, call.callId);
    return this.decode(hash);
  }

  async get(callId: string): Promise<CallRecord | null> {
    const entry = this.entry(check.id(callId, 'callId'));
    return entry ? this.decode(entry.hash) : null;
  }

  async require(callId: string): Promise<CallRecord> {
    const record = await this.get(callId);
    if (!record) throw notFound(callId);
    return record;
  }

  async update(callId: string, patch: CallPatch): Promise<CallRecord> {
    const { set, del } = encodePatch(parseInput(callPatchSchema, patch, 'call patch'), this.clock.now());
    const entry = this.live(check.id(callId, 'callId'));
    for (const field of del) delete entry.hash[field];
    Object.assign(entry.hash, set);
    return this.decode(entry.hash);
  }

  async transition(callId: string, event: LegEvent): Promise<CallRecord> {
    if (event === 'hangup') return (await this.end(callId, 'NORMAL_CLEARING')).record;
    const entry = this.entry(check.id(callId, 'callId'));
    if (!entry) throw notFound(callId);
    const next = transition(this.decode(entry.hash).state, event);
    const now = String(this.clock.now());
    const stamp = STATE_TIMESTAMP[next];
    entry.hash.state = next;
    entry.hash.updatedAt = now;
    if (stamp && entry.hash[stamp] === undefined) entry.hash[stamp] = now;
    return this.decode(entry.hash);
  }

  async end(callId: string, hangupCause: string): Promise<EndResult> {
    const entry = this.entry(check.id(callId, 'callId'));
    if (!entry) throw notFound(callId);
    const { hash } = entry;
    indexDelete(this.byAccount, hash.accountId, callId);
    indexDelete(this.byNode, hash.nodeId, callId);
    if (hash.state === 'ended') return { record: this.decode(hash), ended: false };
    const now = this.clock.now();
    Object.assign(hash, { state: 'ended', endedAt: String(now), updatedAt: String(now), hangupCause: check.id(hangupCause, 'hangupCause') });
    entry.expiresAt = now + this.endedTtlMs;
    return { record: this.decode(hash), ended: true };
  }

  async listByAccount(accountId: string): Promise<CallRecord[]> {
    return this.list(this.byAccount, check.id(accountId, 'accountId'));
  }

  async listByNode(nodeId: string): Promise<CallRecord[]> {
    return this.list(this.byNode, check.id(nodeId, 'nodeId'));
  }

  async countByAccount(accountId: string): Promise<number> {
    return this.byAccount.get(check.id(accountId, 'accountId'))?.size ?? 0;
  }

  async countByNode(nodeId: string): Promise<number> {
    return this.byNode.get(check.id(nodeId, 'nodeId'))?.size ?? 0;
  }

  private list(index: Map<string, Set<string>>, key: string): CallRecord[] {
    const records: CallRecord[] = [];
    for (const callId of index.get(key) ?? []) {
      const entry = this.entry(callId);
      if (entry) records.push(this.decode(entry.hash));
    }
    return records.sort((a, b) => a.createdAt - b.createdAt || a.callId.localeCompare(b.callId));
  }

  private entry(callId: string): Entry | undefined {
    const entry = this.calls.get(callId);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.clock.now()) {
      this.calls.delete(callId);
      return undefined;
    }
    return entry;
  }

  private live(callId: string): Entry {
    const entry = this.entry(callId);
    if (!entry) throw notFound(callId);
    if (entry.hash.state === 'ended') throw new CallStateError('call_ended', `call ${callId} has ended`, { callId });
    return entry;
  }

  private decode(hash: CallHash): CallRecord {
    const record = decodeCall({ ...hash });
    if (!record) throw new CallStateError('call_not_found', `call ${hash.callId ?? '?'} is malformed`);
    return record;
  }
}

function notFound(callId: string): CallStateError {
  return new CallStateError('call_not_found', `no call ${callId}`, { callId });
}

function indexAdd(index: Map<string, Set<string>>, key: string, callId: string): void {
  const set = index.get(key) ?? new Set<string>();
  set.add(callId);
  index.set(key, set);
}

function indexDelete(index: Map<string, Set<string>>, key: string | undefined, callId: string): void {
  if (key === undefined) return;
  const set = index.get(key);
  set?.delete(callId);
  if (set?.size === 0) index.delete(key);
}
