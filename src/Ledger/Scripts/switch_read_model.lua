--[[
switch_read_model.lua: puts a read model rebuilt aside in place of the live one, in one atomic step, so that a reader
sees either the old model or the new one, never a half-built one, and never a lower position than before.

KEYS[1..3]  live:    stock hash, activity list, client totals hash
KEYS[4..6]  rebuilt: stock hash, activity list, client totals hash
ARGV[1]     channel to publish the live model's new stock view on, as project.lua does

Returns { status, live position before }:  1 switched, -1 the rebuilt model is behind the live one (nothing changed).
]]
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local livePosition = redis.call('HGET', KEYS[1], 'position') or '0-0'
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
