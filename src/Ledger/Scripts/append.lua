--[[
append.lua: checks a stock command and, if it is accepted, appends its event. One call is atomic.

KEYS[1]  {hyper:<region>}:stock           string   write-side stock level
KEYS[2]  {hyper:<region>}:events          stream   the ledger
KEYS[3]  {hyper:<region>}:cmd:<client>:<id> string idempotency record 'after|entry id|fingerprint'
                                                   (a hash fp, id, after before 29 November 2026: still read, see below)

ARGV[1]  op            'buy' | 'restock' | 'set'
ARGV[2]  quantity      integer 0..max level (buy/restock: >= 1)
ARGV[3]  client id     1..64 of A-Z a-z 0-9 . _ -   (as ClientId; never the event's separator '|')
ARGV[4]  command id    1..100 of the same and ':'  (as CommandId)
ARGV[5]  occurred at   unix milliseconds, at most 15 digits
ARGV[6]  fingerprint   what makes a retry "the same command"
ARGV[7]  ttl seconds   how long to keep the idempotency record, at most 10 years; 0 = keep none (the id was generated,
                       no retry can come)
ARGV[8]  max level     the largest stock level allowed

Returns { status, stock, entry id }:
   1 APPLIED       stock after, id of the new entry
   2 DUPLICATE     stock after the first application, id of its entry (nothing applied now)
  -1 SOLD_OUT      stock available, ''
  -2 LIMIT         stock now, ''   (a restock would pass max level)
  -3 KEY_REUSED    0, id of the entry of the other command that used this key
  -4 INVALID       0, reason

The event is one stream field, `event` = '2|type|qty|before|after|client|cmd|at' (schema version 2, see
src/Ledger/StockEventCodec.cs). Every check happens before the first write: Redis does not roll a script back on error.
Numbers are turned into text with string.format('%d'): Lua's own number-to-string goes through printf's
floating-point path, which was ~5 % of Redis's time per buy.
Must agree with src/Domain/StockDecider.cs (tests check both against each other).
]]
local stockKey, streamKey, commandKey = KEYS[1], KEYS[2], KEYS[3]
local op = ARGV[1]
local quantity = tonumber(ARGV[2])
local client, commandId, occurredAt, fingerprint = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local ttl = tonumber(ARGV[7])
local maxLevel = tonumber(ARGV[8])

if quantity == nil or ttl == nil or maxLevel == nil or quantity ~= math.floor(quantity)
    or quantity < 0 or quantity > maxLevel or ttl < 0 or ttl > 315360000 or ttl ~= math.floor(ttl) then
  return { -4, 0, 'bad arguments' }
end
if #client > 64 or not string.match(client, '^[A-Za-z0-9._-]+$')
    or #commandId > 100 or not string.match(commandId, '^[A-Za-z0-9._:-]+$')
    or #occurredAt > 15 or not string.match(occurredAt, '^%d+$') then
  return { -4, 0, 'bad client id, command id or time' }
end

if ttl > 0 then
  -- One string per record (one SET with its expiry, the cheapest key Redis keeps). Records written by the
  -- previous version of this script are hashes and live out their window: GET fails on them with WRONGTYPE.
  local record = redis.pcall('GET', commandKey)
  local previousAfter, previousId, previousFingerprint
  if type(record) == 'table' and record.err then
    local fields = redis.call('HMGET', commandKey, 'after', 'id', 'fp')
    previousAfter, previousId, previousFingerprint = fields[1], fields[2], fields[3]
  elseif record then
    previousAfter, previousId, previousFingerprint = string.match(record, '^(%d+)|([^|]+)|(.*)$')
  end
  if record and not previousFingerprint then
    return { -4, 0, 'unreadable idempotency record' }
  end
  if previousFingerprint then
    if previousFingerprint == fingerprint then
      return { 2, tonumber(previousAfter), previousId }
    end
    return { -3, 0, previousId }
  end
end

local before = tonumber(redis.call('GET', stockKey) or '0')
local after, eventType
if op == 'buy' then
  if quantity < 1 then return { -4, 0, 'buy quantity must be at least 1' } end
  if quantity > before then return { -1, before, '' } end
  after, eventType = before - quantity, 'HyperBought'
elseif op == 'restock' then
  if quantity < 1 then return { -4, 0, 'restock quantity must be at least 1' } end
  if before + quantity > maxLevel then return { -2, before, '' } end
  after, eventType = before + quantity, 'HyperRestocked'
elseif op == 'set' then
  after, eventType = quantity, 'StockLevelSet'
else
  return { -4, 0, 'unknown op' }
end

local afterText = string.format('%d', after)
redis.call('SET', stockKey, afterText)
local id = redis.call('XADD', streamKey, '*', 'event', table.concat({ '2', eventType, string.format('%d', quantity),
  string.format('%d', before), afterText, client, commandId, occurredAt }, '|'))
if ttl > 0 then
  redis.call('SET', commandKey, afterText .. '|' .. id .. '|' .. fingerprint, 'EX', string.format('%d', ttl))
end
return { 1, after, id }
