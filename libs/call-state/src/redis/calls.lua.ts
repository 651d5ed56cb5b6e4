import { LEG_TRANSITIONS, STATE_TIMESTAMP } from '../call-state.machine';
import { LuaScript } from './lua-script';

/** KEYS[1] call hash; ARGV field/value pairs. Writes only when the call does not exist. */
export const createCall = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1`);

/**
 * The hash after a write, as one JSON array of its HGETALL pairs: one bulk string for the client to decode rather than
 * two per field (the client's reply decoder was a tenth of the media node's CPU).
 */
const PACKED_HASH = "cjson.encode(redis.call('HGETALL', KEYS[1]))";

/** KEYS[1] call hash; ARGV[1] count of pairs to set, then pairs, then fields to delete. Returns {1, packed hash after}, 0 ended, -1 missing. */
export const updateCall = new LuaScript(`
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -1 end
if state == 'ended' then return 0 end
local n = tonumber(ARGV[1])
if n > 0 then redis.call('HSET', KEYS[1], unpack(ARGV, 2, 1 + 2 * n)) end
if #ARGV > 1 + 2 * n then redis.call('HDEL', KEYS[1], unpack(ARGV, 2 + 2 * n)) end
return {1, ${PACKED_HASH}}`);

/** `{ a = { ev = 'b' } }`: a Lua table literal of string keys and values, for a script to embed. */
function luaTable(table: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(table).map(([k, v]) => `[${JSON.stringify(k)}] = ${typeof v === 'object' && v !== null ? luaTable(v as Record<string, unknown>) : JSON.stringify(v)}`);
  return `{ ${entries.join(', ')} }`;
}

/**
 * One leg state move, judged and applied inside the call's slot (the machine's table is embedded).
 * KEYS[1] call hash; ARGV event, now. Returns {1, packed hash after}, {0, state} when the table forbids the move, -1 missing.
 */
export const transitionCall = new LuaScript(`
local moves = ${luaTable(LEG_TRANSITIONS)}
local stamps = ${luaTable(STATE_TIMESTAMP)}
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -1 end
local next = moves[state] and moves[state][ARGV[1]]
if not next then return {0, state} end
redis.call('HSET', KEYS[1], 'state', next, 'updatedAt', ARGV[2])
if stamps[next] then redis.call('HSETNX', KEYS[1], stamps[next], ARGV[2]) end
return {1, ${PACKED_HASH}}`);

/** KEYS[1] call hash; ARGV now, cause, ttl ms. {1, packed hash} ended now, {0, packed hash} already ended, -1 missing. */
export const endCall = new LuaScript(`
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -1 end
if state == 'ended' then return {0, ${PACKED_HASH}} end
redis.call('HSET', KEYS[1], 'state', 'ended', 'endedAt', ARGV[1], 'updatedAt', ARGV[1], 'hangupCause', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, ${PACKED_HASH}}`);

/**
 * One Redis (never a Cluster: the keys span slots): create's index adds and its record in one script, in the order its
 * two steps take them. KEYS[1] call hash, KEYS[2] account index, KEYS[3] node index; ARGV now, call id,
 * account id, node id, then field/value pairs. 1 created; 0 taken, the entries added dropped unless the live owner's.
 */
export const createIndexedCall = new LuaScript(`
redis.call('ZADD', KEYS[2], 'NX', ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], 'NX', ARGV[1], ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], unpack(ARGV, 5))
  return 1
end
local owner = redis.call('HMGET', KEYS[1], 'state', 'accountId', 'nodeId')
local live = owner[1] and owner[1] ~= 'ended'
if not live or owner[2] ~= ARGV[3] then redis.call('ZREM', KEYS[2], ARGV[2]) end
if not live or owner[3] ~= ARGV[4] then redis.call('ZREM', KEYS[3], ARGV[2]) end
return 0`);

/**
 * One Redis (never a Cluster): `endCall` and the removal from both live indexes, on every end, in one script. The
 * index keys follow from the record's account and node, so they are put together here around those ids: ARGV now,
 * cause, ttl ms, call id, then the account index key's text before and after the id, then the node index key's.
 * Replies as `endCall`.
 */
export const endIndexedCall = new LuaScript(`
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -1 end
local status = 0
if state ~= 'ended' then
  redis.call('HSET', KEYS[1], 'state', 'ended', 'endedAt', ARGV[1], 'updatedAt', ARGV[1], 'hangupCause', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  status = 1
end
local owner = redis.call('HMGET', KEYS[1], 'accountId', 'nodeId')
if owner[1] then redis.call('ZREM', ARGV[5] .. owner[1] .. ARGV[6], ARGV[4]) end
if owner[2] then redis.call('ZREM', ARGV[7] .. owner[2] .. ARGV[8], ARGV[4]) end
return {status, ${PACKED_HASH}}`);
