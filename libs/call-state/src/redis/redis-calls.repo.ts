import { CallStateError } from '../call-state.errors';
import { callPatchSchema, newCallSchema, parseInput } from '../call-record';
import type { CallPatch, CallRecord, EndResult, NewCall } from '../call-record';
import { decodeCall, encodeNewCall, encodePatch, flatten } from '../call-record.codec';
import { type LegEvent, STATE_TIMESTAMP, transition } from '../call-state.machine';
import type { CallRepository } from '../call-store';
import { check } from '../call-store.validate';
import { casState, createCall, endCall, updateCall } from './calls.lua';
import { type RedisContext, execAll, guard, toHash } from './redis-context';

const CAS_ATTEMPTS = 8;

export class RedisCallRepository implements CallRepository {
  constructor(private readonly ctx: RedisContext) {}

  async create(input: NewCall): Promise<CallRecord> {
    const call = parseInput(newCallSchema, input, 'call');
    return guard('calls.create', async () => {
      const { redis, keys, clock } = this.ctx;
      const now = clock.now();
      const hash = encodeNewCall(call, now);
      const accountIdx = keys.accountCalls(call.accountId);
      const nodeIdx = keys.nodeCalls(call.nodeId);
      // Record and both live indexes change in one transaction; the script refuses duplicates.
      const chain = createCall.queue(redis.multi(), [keys.call(call.callId)], flatten(hash));
      const [created, addedAccount, addedNode] = await execAll(chain.zadd(accountIdx, 'NX', now, call.callId).zadd(nodeIdx, 'NX', now, call.callId));
      if (created !== 1) {
        // A duplicate id must not leave itself in another account's or node's index.
        if (addedAccount === 1) await redis.zrem(accountIdx, call.callId);
        if (addedNode === 1) await redis.zrem(nodeIdx, call.callId);
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
      return this.require(callId);
    });
  }

  async transition(callId: string, event: LegEvent): Promise<CallRecord> {
    if (event === 'hangup') return (await this.end(callId, 'NORMAL_CLEARING')).record;
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
      const current = await this.require(callId);
      const next = transition(current.state, event);
      const stamp = STATE_TIMESTAMP[next] ?? '';
      const now = this.ctx.clock.now();
      const result = await guard('calls.transition', () =>
        casState.run(this.ctx.redis, [this.ctx.keys.call(callId)], [current.state, next, stamp, now]),
      );
      if (result === -1) throw notFound(callId);
      if (result === 1) {
        const updated: CallRecord = { ...current, state: next, updatedAt: now };
        if (stamp !== '' && updated[stamp] === undefined) updated[stamp] = now;
        return updated;
      }
      // Someone moved the leg first: re-read and re-judge the event against the new state.
    }
    throw new CallStateError('state_conflict', `call ${callId} kept changing under ${event}`, { callId, event });
  }

  async end(callId: string, hangupCause: string): Promise<EndResult> {
    const current = await this.require(callId);
    const cause = check.id(hangupCause, 'hangupCause');
    return guard('calls.end', async () => {
      const { redis, keys, clock, endedTtlMs } = this.ctx;
      const now = clock.now();
      const chain = endCall.queue(redis.multi(), [keys.call(callId)], [now, cause, endedTtlMs]);
      const [result] = await execAll(chain.zrem(keys.accountCalls(current.accountId), callId).zrem(keys.nodeCalls(current.nodeId), callId));
      if (result === -1) throw notFound(callId);
      if (result === 0) return { record: (await this.get(callId)) ?? current, ended: false };
      return { record: { ...current, state: 'ended', endedAt: now, updatedAt: now, hangupCause: cause }, ended: true };
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

  async countByAccount(accountId: string): Promise<number> {
    const key = this.ctx.keys.accountCalls(check.id(accountId, 'accountId'));
    return guard('calls.count', () => this.ctx.redis.zcard(key));
  }

  async countByNode(nodeId: string): Promise<number> {
    const key = this.ctx.keys.nodeCalls(check.id(nodeId, 'nodeId'));
    return guard('calls.count', () => this.ctx.redis.zcard(key));
  }

  /** Reads an index and its records; entries whose record is gone, ended or elsewhere are pruned. */
  private list(indexKey: string, belongs: (record: CallRecord) => boolean): Promise<CallRecord[]> {
    return guard('calls.list', async () => {
      const { redis, keys } = this.ctx;
      const ids = await redis.zrange(indexKey, '0', '-1');
      if (ids.length === 0) return [];
      const chain = redis.pipeline();
      for (const id of ids) chain.hgetall(keys.call(id));
      const hashes = await execAll(chain);
      const records: CallRecord[] = [];
      const stale: string[] = [];
      ids.forEach((id, i) => {
        const record = decodeCall(toHash(hashes[i]));
        if (record && record.state !== 'ended' && belongs(record)) records.push(record);
        else stale.push(id);
      });
      if (stale.length > 0) await redis.zrem(indexKey, ...stale);
      return records;
    });
  }
}

function notFound(callId: string): CallStateError {
  return new CallStateError('call_not_found', `no call ${callId}`, { callId });
}
