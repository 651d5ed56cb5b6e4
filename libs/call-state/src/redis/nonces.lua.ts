import { LuaScript } from './lua-script';

/** KEYS[1] the nonce's key; ARGV nc, ttl ms. Sets nc (with the TTL) only when higher than the stored one; 1 when set. */
export const acceptNonceCount = new LuaScript(`
local seen = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) <= seen then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`);
