--[[
buy.lua: the bare reference's buy: take one from the stock and append the event, nothing else (no idempotency record,
no argument checks). The event has the same packed field as append.lua writes, so Redis does the same work per event.

KEYS[1]  stock   string
KEYS[2]  events  stream
ARGV[1]  client id
ARGV[2]  command id
ARGV[3]  occurred at (unix ms)

Returns { stock after, entry id }, or { -1, '' } when sold out.
]]
local before = tonumber(redis.call('GET', KEYS[1]) or '0')
if before < 1 then
  return { -1, '' }
end
redis.call('SET', KEYS[1], before - 1)
local id = redis.call('XADD', KEYS[2], '*',
  'event', table.concat({ '2', 'HyperBought', 1, before, before - 1, ARGV[1], ARGV[2], ARGV[3] }, '|'))
return { before - 1, id }
