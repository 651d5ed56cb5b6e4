import { LuaScript } from './lua-script';

/** KEYS[1] the IMRN's key. Returns the reservation and deletes it, in one step (a number connects one call). */
export const claimImrn = new LuaScript(`
local held = redis.call('GET', KEYS[1])
if held then redis.call('DEL', KEYS[1]) end
return held`);
