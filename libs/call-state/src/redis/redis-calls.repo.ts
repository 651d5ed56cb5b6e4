import { CallStateError } from '../call-state.errors';
import { callPatchSchema, newCallSchema, parseInput } from '../call-record';
import type { CallPatch, CallRecord, EndResult, NewCall } from '../call-record';
import { decodeCall, encodeNewCall, encodePatch, flatten } from '../call-record.codec';
import { type LegEvent, type LegState, transition } from '../call-state.machine';
import type { CallRepository } from '../call-store';
import { check } from '../call-store.validate';
import { createCall, createIndexedCall, endCall, endIndexedCall, transitionCall, updateCall } from './calls.lua';
import { type RedisContext, guard, toHash } from './redis-context';

/** A missing record this young may be a create between its index and record steps, not debris. */
const CREATE_GRACE_MS = 10_000;

/** Where an index key's id goes: a key built around a marker no id holds, split there. */
function around(key: (id: string) => string): [string, string] {
  const [before = '', after = ''] = key('\u0000').split('\u0000');
  return [before, after];
}

export class RedisCallRepository implements CallRepository {
  /** The index keys around their ids, for the script that ends a call on one Redis. */
  private readonly indexKeys: string[];

  constructor(private readonly ctx: RedisContext) {
    this.indexKeys = [...around((id) => ctx.keys.accountCalls(id)), ...around((id) => ctx.keys.nodeCalls(id))];
  }

  async create(input: NewCall): Promise<CallRecord> {
    const call = parseInput(newCallSchema, input, 'call');
    return guard('calls.create', async () => {
      const { redis, keys, clock } = this.ctx;
      const now = clock.now();
      const hash = encodeNewCall(call, now);
      const accountIdx = keys.accountCalls(call.accountId);
      const nodeIdx = keys.nodeCalls(call.nodeId);
      // one Redis: both steps in one script (a Cluster's slots split them)
      if (this.ctx.crossSlot) {
        const created = await createIndexedCall.run(redis, [keys.call(call.callId), accountIdx, nodeIdx], [now, call.callId, call.accountId, call.nodeId, ...flatten(hash)]);
        if (created !== 1) throw new CallStateError('call_exists', `call ${call.callId} exists`, { callId: call.callId });
        return decodeCall(hash) as CallRecord;
      }
      // Step 1, indexes first: dying here leaves only entries without a record, which list() prunes.
      await Promise.all([redis.zadd(accountIdx, 'NX', now, call.callId), redis.zadd(nodeIdx, 'NX', now, call.callId)]);
      // Step 2, the record: the script refuses a taken id inside the call's own slot.
      if ((await createCall.run(redis, [keys.call(call.callId)], flatten(hash))) !== 1) {
        await this.unindexIntruder(call, accountIdx, nodeIdx);
        throw new CallStateError('call_exists', `call ${call.callId} exists`, { callId: call.callId });
      }
      return decodeCall(hash) as CallRecord;
    });
  }

  async get(callId: string): Promise<CallRecord | null> {
    const key = this.ctx.keys.call(check.id(callId, 'callId'));
    return guard('calls.get', async () => decodeCall(await this.ctx.redis.hgetall(key)));
  }

  async require(callId: string): Promise<CallRecord> {
    const record = await this.get(callId);
    if (!record) throw notFound(callId);
    return record;
  }

  async update(callId: string, patch: CallPatch): Promise<CallRecord> {
    const key = this.ctx.keys.call(check.id(callId, 'callId'));
    const { set, del } = encodePatch(parseInput(callPatchSchema, patch, 'call patch'), this.ctx.clock.now());
    return guard('calls.update', async () => {
      const result = await updateCall.run(this.ctx.redis, [key], [Object.keys(set).length, ...flatten(set), ...del]);
      if (result === -1) throw notFound(callId);
      if (result === 0) throw new CallStateError('call_ended', `call ${callId} has ended`, { callId });
      return recordOf(callId, result);
    });
  }

  /** One script judges the move against the machine's table and applies it, so no read precedes it and no race retries it. */
  async transition(callId: string, event: LegEvent): Promise<CallRecord> {
    if (event === 'hangup') return (await this.end(callId, 'NORMAL_CLEARING')).record;
    const key = this.ctx.keys.call(check.id(callId, 'callId'));
    const result = await guard('calls.transition', () => transitionCall.run(this.ctx.redis, [key], [event, this.ctx.clock.now()]));
    if (result === -1) throw notFound(callId);
    const [moved, detail] = result as [number, unknown];
    // Forbidden by the table: the machine's own error, naming the state the leg is in.
    if (moved === 0) transition(String(detail) as LegState, event);
    return recordOf(callId, result);
  }

  async end(callId: string, hangupCause: string): Promise<EndResult> {
    const key = this.ctx.keys.call(check.id(callId, 'callId'));
    const cause = check.id(hangupCause, 'hangupCause');
    return guard('calls.end', async () => {
      const { redis, keys, clock, endedTtlMs } = this.ctx;
      // one Redis: both steps in one script (a Cluster's slots split them)
      if (this.ctx.crossSlot) {
        const result = await endIndexedCall.run(redis, [key], [clock.now(), cause, endedTtlMs, callId, ...this.indexKeys]);
        if (result === -1) throw notFound(callId);
        return { record: recordOf(callId, result), ended: (result as [number])[0] === 1 };
      }
      // Step 1, the record: only this script's slot decides who ended the call, so exactly one caller hears `ended`.
      const result = await endCall.run(redis, [key], [clock.now(), cause, endedTtlMs]);
      if (result === -1) throw notFound(callId);
      const record = recordOf(callId, result);
      // Step 2, the indexes, on every end: dying before it leaves an ended entry that list() prunes and a retry removes.
      await Promise.all([redis.zrem(keys.accountCalls(record.accountId), callId), redis.zrem(keys.nodeCalls(record.nodeId), callId)]);
      return { record, ended: (result as [number])[0] === 1 };
    });
  }

  async listByAccount(accountId: string): Promise<CallRecord[]> {
    const id = check.id(accountId, 'accountId');
    return this.list(this.ctx.keys.accountCalls(id), (record) => record.accountId === id);
  }

  async listByNode(nodeId: string): Promise<CallRecord[]> {
    const id = check.id(nodeId, 'nodeId');
    return this.list(this.ctx.keys.nodeCalls(id), (record) => record.nodeId === id);
  }

  /** Counts only entries list() would return, so a writer that died between steps never inflates it. */
  async countByAccount(accountId: string): Promise<number> {
    return (await this.listByAccount(accountId)).length;
  }

  async countByNode(nodeId: string): Promise<number> {
    return (await this.listByNode(nodeId)).length;
  }

  /** Reads an index and its records; entries whose record is gone, ended or elsewhere are pruned. */
  private list(indexKey: string, belongs: (record: CallRecord) => boolean): Promise<CallRecord[]> {
    return guard('calls.list', async () => {
      const { redis, keys, clock } = this.ctx;
      const scored = await redis.zrange(indexKey, '0', '-1', 'WITHSCORES');
      if (scored.length === 0) return [];
      const ids = scored.filter((_, i) => i % 2 === 0);
      // One read per record rather than one pipeline: records live in different Cluster slots.
      const hashes = await Promise.all(ids.map((id) => redis.hgetall(keys.call(id))));
      const fresh = clock.now() - CREATE_GRACE_MS;
      const records: CallRecord[] = [];
      const stale: string[] = [];
      ids.forEach((id, i) => {
        const record = decodeCall(toHash(hashes[i]));
        if (record && record.state !== 'ended' && belongs(record)) records.push(record);
        else if (record || Number(scored[2 * i + 1]) <= fresh) stale.push(id);
        // A young entry without a record is a create between its two steps: neither listed nor pruned.
      });
      if (stale.length > 0) await redis.zrem(indexKey, ...stale);
      return records;
    });
  }

  /** After a refused create, drops the index entries it added unless the existing live record owns them. */
  private async unindexIntruder(call: NewCall, accountIdx: string, nodeIdx: string): Promise<void> {
    const { callId } = call;
    const owner = decodeCall(await this.ctx.redis.hgetall(this.ctx.keys.call(callId)));
    const live = owner !== null && owner.state !== 'ended';
    const drops: Promise<number>[] = [];
    if (!live || owner.accountId !== call.accountId) drops.push(this.ctx.redis.zrem(accountIdx, callId));
    if (!live || owner.nodeId !== call.nodeId) drops.push(this.ctx.redis.zrem(nodeIdx, callId));
    await Promise.all(drops);
  }
}

/** The record of a script's `{status, packed HGETALL}` reply; a hash that is not a call counts as no call. */
function recordOf(callId: string, reply: unknown): CallRecord {
  const record = Array.isArray(reply) && typeof reply[1] === 'string' ? decodeCall(toHash(JSON.parse(reply[1]))) : null;
  if (record === null) throw notFound(callId);
  return record;
}

function notFound(callId: string): CallStateError {
  return new CallStateError('call_not_found', `no call ${callId}`, { callId });
}
