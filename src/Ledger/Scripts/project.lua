--[[
project.lua: applies a batch of events to one copy of a region's read model and advances its checkpoint, atomically.
Events at or before the checkpoint are skipped, so an event read twice never applies twice. The batch must continue the
stream exactly where the checkpoint stands (no entry missing in between); otherwise nothing is applied and GAP is returned.

KEYS[1]  read model stock hash    quantity, position (checkpoint), updatedAt, events, skipped
KEYS[2]  read model activity list newest first, capped
KEYS[3]  read model client totals hash, field <client>:<bought|restocked|set>
KEYS[4]  {hyper:<region>}:events  the stream the batch comes from (only read)

ARGV[1]  activity cap (entries kept)
ARGV[2]  n, the number of events that follow
ARGV[3]  channel to publish the new stock view on ('' for none: a model rebuilt aside is not served yet)
then per event, 6 values: entry id, type (HyperBought | HyperRestocked | StockLevelSet | skip), quantity, client,
         occurred at (unix ms), activity JSON ('' allowed for an event that cannot be among the newest `cap` of the
         batch). 'skip' (a dead-lettered entry) only moves the checkpoint.

Returns { status, checkpoint, quantity, events applied (skips not counted) }:  status 1 OK, -1 GAP (nothing applied).
When the checkpoint moved, publishes 1|position|quantity|updatedAt|events on the channel (StockViewMessage), in the same
atomic step, so the messages of a channel come in the order of the model's states.
Must agree with StockDecider.Evolve (src/Domain): bought subtracts, restocked adds, set replaces.
]]
local stockKey, activityKey, clientsKey, streamKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local cap = tonumber(ARGV[1])
local n = tonumber(ARGV[2])

local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end

local channel = ARGV[3]
local first = 4

local current = redis.call('HMGET', stockKey, 'position', 'quantity', 'events', 'skipped', 'updatedAt')
local position = current[1] or '0-0'
local quantity = tonumber(current[2] or '0')
local events = tonumber(current[3] or '0')
local skipped = tonumber(current[4] or '0')
local updatedAtBefore = current[5] or ''
local eventsBefore = events

-- The ids of the batch that are past the checkpoint, in order. Each id is parsed once: parsing both ids of every
-- comparison was about 40 % of the script's time per event.
local checkpointMs, checkpointSeq = parse(position)
local lastMs, lastSeq = checkpointMs, checkpointSeq
local fresh = {}
for i = 0, n - 1 do
  local ms, seq = parse(ARGV[first + i * 6])
  if ms > checkpointMs or (ms == checkpointMs and seq > checkpointSeq) then
    if not (ms > lastMs or (ms == lastMs and seq > lastSeq)) then
      return { -1, position, quantity, 0 }
    end
    fresh[#fresh + 1] = i
    lastMs, lastSeq = ms, seq
  end
end
if #fresh == 0 then
  return { 1, position, quantity, 0 }
end

-- They must be exactly the entries that follow the checkpoint in the stream.
local last = ARGV[first + fresh[#fresh] * 6]
local expected = redis.call('XRANGE', streamKey, '(' .. position, last, 'COUNT', #fresh + 1)
if #expected ~= #fresh then
  return { -1, position, quantity, 0 }
end
for j = 1, #fresh do
  if expected[j][1] ~= ARGV[first + fresh[j] * 6] then
    return { -1, position, quantity, 0 }
  end
end

local updatedAt = nil
local activities = {}
local totals, totalFields = {}, {}
for j = 1, #fresh do
  local base = first + fresh[j] * 6
  local id, kind, qty, client, at, activity =
    ARGV[base], ARGV[base + 1], tonumber(ARGV[base + 2]), ARGV[base + 3], ARGV[base + 4], ARGV[base + 5]
  if kind == 'skip' then
    skipped = skipped + 1
  else
    local field
    if kind == 'HyperBought' then
      quantity, field = quantity - qty, 'bought'
    elseif kind == 'HyperRestocked' then
      quantity, field = quantity + qty, 'restocked'
    else
      quantity, field = qty, 'set'
    end
    events = events + 1
    updatedAt = at
    activities[#activities + 1] = activity
    local total = client .. ':' .. field
    if totals[total] == nil then
      totalFields[#totalFields + 1] = total
      totals[total] = 0
    end
    totals[total] = totals[total] + qty
  end
  position = id
end
-- Only the newest `cap` entries outlive the trim, so only those are pushed (oldest first: the list stays newest
-- first); and each client's totals move once per batch, not once per event.
local firstKept = math.max(1, #activities - cap + 1)
for k = firstKept, #activities, 100 do
  redis.call('LPUSH', activityKey, unpack(activities, k, math.min(k + 99, #activities)))
end
for _, total in ipairs(totalFields) do
  redis.call('HINCRBY', clientsKey, total, totals[total])
end
redis.call('LTRIM', activityKey, 0, cap - 1)
redis.call('HSET', stockKey, 'quantity', quantity, 'position', position, 'events', events, 'skipped', skipped)
if updatedAt then
  redis.call('HSET', stockKey, 'updatedAt', updatedAt)
end
if channel ~= '' then
  redis.call('PUBLISH', channel, string.format('1|%s|%d|%s|%d', position, quantity, updatedAt or updatedAtBefore, events))
end
return { 1, position, quantity, events - eventsBefore }
