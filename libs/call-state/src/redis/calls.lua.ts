import { LuaScript } from './lua-script';

/** KEYS[1] call hash; ARGV field/value pairs. Writes only when the call does not exist. */
export const createCall = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1`);

/** KEYS[1] call hash; ARGV[1] count of pairs to set, then pairs, then fields to delete. */
export const updateCall = new LuaScript(`
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -1 end
if state == 'ended' then return 0 end
local n = tonumber(ARGV[1])
if n > 0 then redis.call('HSET', KEYS[1], unpack(ARGV, 2, 1 + 2 * n)) end
if #ARGV > 1 + 2 * n then redis.call('HDEL', KEYS[1], unpack(ARGV, 2 + 2 * n)) end
return 1`);

/** Compare-and-set. KEYS[1] call hash; ARGV from, to, timestamp field ('' for none), now. */
export const casState = new LuaScript(`
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -1 end
if state ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'updatedAt', ARGV[4])
if ARGV[3] ~= '' then redis.call('HSETNX', KEYS[1], ARGV[3], ARGV[4]) end
return 1`);

/** KEYS[1] call hash; ARGV now, cause, ttl ms. 1 ended now, 0 already ended, -1 missing. */
export const endCall = new LuaScript(`
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -1 end
if state == 'ended' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'ended', 'endedAt', ARGV[1], 'updatedAt', ARGV[1], 'hangupCause', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`);
