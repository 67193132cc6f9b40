--[[
project.lua: applies a batch of stream entries to one copy of a region's read model and advances its checkpoint,
atomically. The caller folds the batch (src/Ledger/ReadModel/BatchEffect.cs), so the work here does not grow with the
batch: a few writes, whatever its size. The batch must be consecutive entries of the stream, in order, as one read
returns them. Its first entry must be the one that follows the checkpoint, and its last must be in the stream (both are
checked); otherwise nothing is applied and GAP is returned. A batch already behind the checkpoint applies nothing, so an
entry read twice never applies twice.

KEYS[1]  read model stock hash    quantity, position (checkpoint), updatedAt, events, skipped
KEYS[2]  read model activity list newest first, capped
KEYS[3]  read model client totals hash, field <client>:<bought|restocked|set>
KEYS[4]  {hyper:<region>}:events  the stream the batch comes from (only read)

ARGV[1]  activity cap (entries kept)
ARGV[2]  channel to publish the new stock view on ('' for none: a model rebuilt aside is not served yet)
ARGV[3]  first entry id of the batch
ARGV[4]  last entry id of the batch
ARGV[5]  events in the batch
ARGV[6]  skipped entries in the batch (dead-lettered: they only move the checkpoint)
ARGV[7]  the level of the batch's last StockLevelSet, '' if it has none
ARGV[8]  change to the quantity after that set (or after the checkpoint, without one): restocked minus bought
ARGV[9]  when the newest event happened (unix ms), '' if the batch holds only skips
ARGV[10] m, the number of client totals that follow
then m pairs: field, quantity to add
then the newest events' activity JSON, oldest first (at most the cap)

Returns { status, checkpoint, quantity, events applied (skips not counted) }:
   1 OK        (also when the whole batch is at or before the checkpoint: nothing applied)
  -1 GAP       the batch does not follow the checkpoint; nothing applied
  -2 OVERLAPS  the batch starts at or before the checkpoint and ends after it; nothing applied, the caller sends the
               entries after the checkpoint again
When the checkpoint moved, publishes 1|position|quantity|updatedAt|events on the channel (StockViewMessage), in the same
atomic step, so the messages of a channel come in the order of the model's states.
Must agree with StockDecider.Evolve (src/Domain): bought subtracts, restocked adds, set replaces.
]]
local stockKey, activityKey, clientsKey, streamKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local cap = tonumber(ARGV[1])
local channel, first, last = ARGV[2], ARGV[3], ARGV[4]
local eventCount, skipCount = tonumber(ARGV[5]), tonumber(ARGV[6])
local levelSet, change, at = ARGV[7], tonumber(ARGV[8]), ARGV[9]
local totalCount = tonumber(ARGV[10])
local activityFirst = 11 + 2 * totalCount

local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function after(aMs, aSeq, bMs, bSeq)
  return aMs > bMs or (aMs == bMs and aSeq > bSeq)
end

local current = redis.call('HMGET', stockKey, 'position', 'quantity', 'events', 'skipped', 'updatedAt')
local position = current[1] or '0-0'
local quantity = tonumber(current[2] or '0')
local events = tonumber(current[3] or '0')
local skipped = tonumber(current[4] or '0')

local checkpointMs, checkpointSeq = parse(position)
local firstMs, firstSeq = parse(first)
local lastMs, lastSeq = parse(last)
if after(firstMs, firstSeq, lastMs, lastSeq) then
  return { -1, position, quantity, 0 }
end
if not after(lastMs, lastSeq, checkpointMs, checkpointSeq) then
  return { 1, position, quantity, 0 }
end
if not after(firstMs, firstSeq, checkpointMs, checkpointSeq) then
  return { -2, position, quantity, 0 }
end

-- Only the ends are read back (an entry each): reading every entry of the batch was a third of this script's time.
local following = redis.call('XRANGE', streamKey, '(' .. position, '+', 'COUNT', 1)
if #following == 0 or following[1][1] ~= first then
  return { -1, position, quantity, 0 }
end
if last ~= first and #redis.call('XRANGE', streamKey, last, last) == 0 then
  return { -1, position, quantity, 0 }
end

if levelSet ~= '' then
  quantity = tonumber(levelSet)
end
quantity = quantity + change
events = events + eventCount
skipped = skipped + skipCount

for k = activityFirst, #ARGV, 100 do
  redis.call('LPUSH', activityKey, unpack(ARGV, k, math.min(k + 99, #ARGV)))
end
if #ARGV >= activityFirst then
  redis.call('LTRIM', activityKey, 0, cap - 1)
end
for k = 11, activityFirst - 1, 2 do
  redis.call('HINCRBY', clientsKey, ARGV[k], ARGV[k + 1])
end
redis.call('HSET', stockKey, 'quantity', quantity, 'position', last, 'events', events, 'skipped', skipped)
if at ~= '' then
  redis.call('HSET', stockKey, 'updatedAt', at)
end
if channel ~= '' then
  redis.call('PUBLISH', channel, string.format('1|%s|%d|%s|%d', last, quantity, at ~= '' and at or (current[5] or ''), events))
end
return { 1, last, quantity, eventCount }
