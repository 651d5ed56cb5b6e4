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
