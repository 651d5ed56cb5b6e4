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

/**
 * KEYS[1] bindings hash; ARGV now, maxContacts, ttl ms, number of removed fields, those fields, then field/JSON pairs.
 * Writes the pairs, lengthens the TTL, then deletes expired bindings and the oldest others (registeredAt, then
 * expiresAt, then field) while more than maxContacts are live. Returns the JSON of the bindings evicted for room.
 */
export const bindWithCap = new LuaScript(`
local now, max, ttl, removed = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
for i = 5, 4 + removed do redis.call('HDEL', KEYS[1], ARGV[i]) end
local fresh, freshCount = {}, 0
for i = 5 + removed, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  fresh[ARGV[i]] = true
  freshCount = freshCount + 1
end
if freshCount > 0 and redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
local all = redis.call('HGETALL', KEYS[1])
local others = {}
for i = 1, #all, 2 do
  local field, raw = all[i], all[i + 1]
  if not fresh[field] then
    local ok, c = pcall(cjson.decode, raw)
    if not ok or type(c) ~= 'table' or type(c.expiresAt) ~= 'number' or c.expiresAt <= now then
      redis.call('HDEL', KEYS[1], field)
    else
      others[#others + 1] = { field = field, raw = raw, at = tonumber(c.registeredAt) or 0, exp = c.expiresAt }
    end
  end
end
table.sort(others, function(a, b)
  if a.at ~= b.at then return a.at < b.at end
  if a.exp ~= b.exp then return a.exp < b.exp end
  return a.field < b.field
end)
local evicted = {}
for i = 1, freshCount + #others - max do
  redis.call('HDEL', KEYS[1], others[i].field)
  evicted[#evicted + 1] = others[i].raw
end
return evicted`);
