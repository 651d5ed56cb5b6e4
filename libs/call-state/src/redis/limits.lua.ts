import { LuaScript } from './lua-script';

/**
 * KEYS[1] account channel holders (callId → nodeId). ARGV call id, node id, limit, then ids of
 * dead nodes whose holders are dropped before a full account refuses.
 */
export const acquireChannel = new LuaScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 1 end
local limit = tonumber(ARGV[3])
if #ARGV > 3 and redis.call('HLEN', KEYS[1]) >= limit then
  local dead = {}
  for i = 4, #ARGV do dead[ARGV[i]] = true end
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    if dead[all[i + 1]] then redis.call('HDEL', KEYS[1], all[i]) end
  end
end
if redis.call('HLEN', KEYS[1]) >= limit then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`);

/** KEYS[1] account channel holders; ARGV[1] node id. Returns holders dropped. */
export const reapChannels = new LuaScript(`
local all = redis.call('HGETALL', KEYS[1])
local dropped = 0
for i = 1, #all, 2 do
  if all[i + 1] == ARGV[1] then dropped = dropped + redis.call('HDEL', KEYS[1], all[i]) end
end
return dropped`);

/** Sliding window log. KEYS[1] attempts zset; ARGV now, window ms, limit, unique member. */
export const rateWindow = new LuaScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`);
