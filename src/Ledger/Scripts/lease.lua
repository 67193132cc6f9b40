--[[
lease.lua: one projector replica at a time projects a region. The lease is a key holding the holder's name, with an expiry.

KEYS[1]  {hyper:<region>}:projector:lease
ARGV[1]  op: 'hold' (take the lease if free, or renew it if ours) | 'release' (give it up if ours)
ARGV[2]  holder name
ARGV[3]  lease duration in milliseconds (for 'hold')

Returns 1 if the caller holds (hold) or released (release) the lease, 0 otherwise.
]]
local holder = redis.call('GET', KEYS[1])
if ARGV[1] == 'hold' then
  if holder == false or holder == ARGV[2] then
    redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
    return 1
  end
  return 0
elseif ARGV[1] == 'release' then
  if holder == ARGV[2] then
    redis.call('DEL', KEYS[1])
    return 1
  end
  return 0
end
return redis.error_reply('unknown op')
