--[[
switch_read_model.lua: puts a read model rebuilt aside in place of the live one, in one atomic step, so that a reader
sees either the old model or the new one, never a half-built one, and never a lower position than before.

KEYS[1..3]  live:    stock hash, activity list, client totals hash
KEYS[4..6]  rebuilt: stock hash, activity list, client totals hash
KEYS[7]     the region's projector lease
ARGV[1]     channel to publish the live model's new stock view on, as project.lua does
ARGV[2]     the rebuilding replica's name, which must hold the lease; '' (a test, or no lease in use): not checked

Returns { status, live position before }:  1 switched, -1 the rebuilt model is behind the live one, -2 the lease is
not the caller's (in both cases nothing changed). The lease check makes the switch and the holding one step: a replica
that lost its lease during a pause cannot switch in the model that another replica is rebuilding.
]]
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local livePosition = redis.call('HGET', KEYS[1], 'position') or '0-0'
if ARGV[2] ~= '' and redis.call('GET', KEYS[7]) ~= ARGV[2] then
  return { -2, livePosition }
end
local rebuiltPosition = redis.call('HGET', KEYS[4], 'position') or '0-0'
local lm, ls = parse(livePosition)
local rm, rs = parse(rebuiltPosition)
if rm < lm or (rm == lm and rs < ls) then
  return { -1, livePosition }
end
for i = 1, 3 do
  if redis.call('EXISTS', KEYS[i + 3]) == 1 then
    redis.call('RENAME', KEYS[i + 3], KEYS[i])
  else
    redis.call('DEL', KEYS[i])
  end
end
local view = redis.call('HMGET', KEYS[1], 'position', 'quantity', 'updatedAt', 'events')
redis.call('PUBLISH', ARGV[1], string.format('1|%s|%d|%s|%d',
  view[1] or '0-0', tonumber(view[2] or '0'), view[3] or '', tonumber(view[4] or '0')))
return { 1, livePosition }
