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

/**
 * One Redis (never a Cluster: the keys span slots): the node's account index add and a first `acquireChannel`
 * without dead nodes, in one script. KEYS[1] account channel holders, KEYS[2] the node's accounts; ARGV call id,
 * node id, limit, account id. 1 held, 0 full (the caller retries with `acquireChannel` and the dead nodes).
 */
export const acquireIndexedChannel = new LuaScript(`
redis.call('SADD', KEYS[2], ARGV[4])
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
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

/** Token bucket. KEYS[1] hash {tokens, at}; ARGV now ms, burst, refill per second. Returns 1 when a token was taken. */
export const tokenBucket = new LuaScript(`
local now = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local refill = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * refill / 1000)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / refill * 1000) + 1000)
return allowed`);
