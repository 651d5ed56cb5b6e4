import { LuaScript } from './lua-script';

/** KEYS[1]; ARGV ttl ms, command, its arguments. Writes, then lengthens the key's TTL (never shortens). */
export const writeAndExtend = new LuaScript(`
redis.call(ARGV[2], KEYS[1], unpack(ARGV, 3))
local want = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < want then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 1`);

/** KEYS[1] bindings hash; ARGV now, fields. Deletes those still expired (or unreadable) when checked. */
export const pruneBindings = new LuaScript(`
local now = tonumber(ARGV[1])
local dropped = 0
for i = 2, #ARGV do
  local raw = redis.call('HGET', KEYS[1], ARGV[i])
  if raw then
    local ok, contact = pcall(cjson.decode, raw)
    if not ok or type(contact) ~= 'table' or type(contact.expiresAt) ~= 'number' or contact.expiresAt <= now then
      dropped = dropped + redis.call('HDEL', KEYS[1], ARGV[i])
    end
  end
end
return dropped`);
