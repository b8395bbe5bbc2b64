import { LuaScript } from './lua-script';

/**
 * Compare-and-set of one flag entry in every target service's hash, in one atomic call.
 * KEYS: the services' flag hashes. ARGV: flagKey, version, entry JSON, channel prefix, replaces (the
 * correlation id of the same-version write this one supersedes, or ''), then the service ids in KEYS order.
 * An entry is replaced by a higher version, or by the same version when it holds the very write named in
 * `replaces` (last-writer-wins between regions); so a redelivered losing write can never win back.
 * Returns per service [applied (1|0), version stored afterwards, the stored write's correlation id when a
 * same-version write was refused ('' otherwise: the caller knows its own)].
 */
export const applyFlagScript = new LuaScript(`
local versionField = 'v:' .. ARGV[1]
local entryField = 'e:' .. ARGV[1]
local version = tonumber(ARGV[2])
local replaces = ARGV[5]
local function storedWrite(key)
  local ok, entry = pcall(cjson.decode, redis.call('HGET', key, entryField) or '')
  if ok and type(entry) == 'table' and type(entry.correlationId) == 'string' then return entry.correlationId end
  return ''
end
local result = {}
for i, key in ipairs(KEYS) do
  local stored = tonumber(redis.call('HGET', key, versionField))
  local write = stored == version and storedWrite(key) or ''
  if stored == nil or stored < version or (replaces ~= '' and write == replaces) then
    redis.call('HSET', key, versionField, ARGV[2], entryField, ARGV[3])
    redis.call('PUBLISH', ARGV[4] .. ARGV[5 + i], ARGV[3])
    result[3 * i - 2] = 1
    result[3 * i - 1] = version
    result[3 * i] = ''
  else
    result[3 * i - 2] = 0
    result[3 * i - 1] = stored
    result[3 * i] = write
  end
end
return result
`);
