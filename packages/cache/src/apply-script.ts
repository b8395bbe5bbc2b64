import { LuaScript } from './lua-script';

/**
 * Compare-and-set of one flag entry in every target service's hash, in one atomic call.
 * KEYS: the services' flag hashes. ARGV: flagKey, version, entry JSON, channel prefix, then the service ids
 * in KEYS order. Returns per service [applied (1|0), version stored afterwards].
 */
export const applyFlagScript = new LuaScript(`
local versionField = 'v:' .. ARGV[1]
local entryField = 'e:' .. ARGV[1]
local version = tonumber(ARGV[2])
local result = {}
for i, key in ipairs(KEYS) do
  local stored = tonumber(redis.call('HGET', key, versionField))
  if stored == nil or stored < version then
    redis.call('HSET', key, versionField, ARGV[2], entryField, ARGV[3])
    redis.call('PUBLISH', ARGV[4] .. ARGV[4 + i], ARGV[3])
    result[2 * i - 1] = 1
    result[2 * i] = version
  else
    result[2 * i - 1] = 0
    result[2 * i] = stored
  end
end
return result
`);
