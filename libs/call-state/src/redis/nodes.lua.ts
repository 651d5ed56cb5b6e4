import { LuaScript } from './lua-script';

/** KEYS heartbeat, sweep claim (same node tag); ARGV sweeper id, ttl ms. */
export const claimSweep = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local owner = redis.call('GET', KEYS[2])
if not owner then
  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
  return 1
end
if owner == ARGV[1] then return 1 end
return 0`);
