import { LuaScript } from './lua-script';

/**
 * KEYS[1] the call's sequence hash, KEYS[2] the account's stream, KEYS[3] the newest id trimmed from it (one slot).
 * ARGV leg call id, final (1|0), payload, max length, min id, ttl of a live sequence, ttl once a leg ended.
 * Returns {sequence, cursor}, or false for a repeated final. Trimming is done here (not by XADD MAXLEN) because
 * Redis does not remember what trimming dropped, and a reader must learn that its cursor fell behind.
 */
export const appendEvent = new LuaScript(`
if ARGV[2] == '1' and redis.call('HSETNX', KEYS[1], 'end:' .. ARGV[1], '1') == 0 then return false end
local seq = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2] == '1' and ARGV[7] or ARGV[6])
local id = redis.call('XADD', KEYS[2], '*', 's', seq, 'e', ARGV[3])
local dropped = false
local over = redis.call('XLEN', KEYS[2]) - tonumber(ARGV[4])
if over > 0 then
  local gone = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', over)
  dropped = gone[#gone][1]
  redis.call('XTRIM', KEYS[2], 'MAXLEN', ARGV[4])
end
-- forward from the oldest entry: it stops at the first one young enough, where XREVRANGE would walk the whole stream
local old = redis.call('XRANGE', KEYS[2], '-', '(' .. ARGV[5], 'COUNT', 100)
local newest = false
while #old > 0 do
  newest = old[#old][1]
  old = #old < 100 and {} or redis.call('XRANGE', KEYS[2], '(' .. newest, '(' .. ARGV[5], 'COUNT', 100)
end
if newest then
  dropped = newest
  redis.call('XTRIM', KEYS[2], 'MINID', ARGV[5])
end
if dropped then redis.call('SET', KEYS[3], dropped) end
return {seq, id}`);

/** KEYS[1] the account's stream, KEYS[2] its newest trimmed id; ARGV cursor (exclusive), count. Returns {trimmed id, entries}. */
export const readEvents = new LuaScript(`
local dropped = redis.call('GET', KEYS[2]) or '0-0'
if redis.call('EXISTS', KEYS[1]) == 0 then return {dropped, {}} end
return {dropped, redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])}`);
