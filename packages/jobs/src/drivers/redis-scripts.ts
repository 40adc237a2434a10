// The Lua scripts of the Redis driver: each driver call is one script, so each is atomic on the server.
// Keys of a queue share the hash tag `{queue}`: one Redis Cluster slot. Layout under `<prefix>{<queue>}:`
//   j:<id>   hash: the job      wait     zset, score 0, members ordered by lex key (priority, runAt, seq, id)
//   delayed  zset by runAt      active   zset by lease expiry   completed / dead  zsets by finish time
//   groups   hash group → active count   keys  hash <mode>:<key> → holder id (throttle: until:id)
//   seq      insertion counter           wake  pub/sub channel

const common = `
local base = ARGV[1]
local now
if ARGV[2] ~= '' then now = tonumber(ARGV[2]) else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function num(x) return string.format('%.0f', x) end
-- lex key: priority inverted (7 digits), runAt (15), seq (12), then the id: ZRANGE of score-0 members sorts by it.
local function member(jk, id)
  local f = redis.call('HMGET', jk, 'priority', 'runAt', 'seq')
  return string.format('%07d:%015.0f:%012.0f:', 1000000 - tonumber(f[1]), tonumber(f[2]), tonumber(f[3])) .. id
end
local function idOf(m) return string.sub(m, 38) end
local function enqueue(id, runAt)
  local jk = base .. 'j:' .. id
  redis.call('HSET', jk, 'state', 'waiting', 'runAt', num(runAt))
  if runAt <= now then
    local m = member(jk, id)
    redis.call('ZADD', base .. 'wait', 0, m)
    redis.call('HSET', jk, 'wkey', m)
  else
    redis.call('ZADD', base .. 'delayed', runAt, id)
  end
end
local function promote()
  local due = redis.call('ZRANGEBYSCORE', base .. 'delayed', '-inf', now, 'LIMIT', 0, 1000)
  for _, id in ipairs(due) do
    redis.call('ZREM', base .. 'delayed', id)
    local jk = base .. 'j:' .. id
    local m = member(jk, id)
    redis.call('ZADD', base .. 'wait', 0, m)
    redis.call('HSET', jk, 'wkey', m)
  end
end
local function held(id, token)
  local jk = base .. 'j:' .. id
  local f = redis.call('HMGET', jk, 'state', 'token')
  return f[1] == 'active' and f[2] == token
end
-- Leaves active: out of the active set, its group's count down, the token gone.
local function deactivate(id)
  local jk = base .. 'j:' .. id
  redis.call('ZREM', base .. 'active', id)
  local group = redis.call('HGET', jk, 'group')
  if group then
    if redis.call('HINCRBY', base .. 'groups', group, -1) <= 0 then redis.call('HDEL', base .. 'groups', group) end
  end
  redis.call('HDEL', jk, 'token', 'lease')
end
local function bury(id, reason)
  local jk = base .. 'j:' .. id
  redis.call('HSET', jk, 'state', 'dead', 'finishedAt', num(now))
  if reason then redis.call('HSET', jk, 'error', reason) end
  redis.call('ZADD', base .. 'dead', now, id)
end
local function wake() redis.call('PUBLISH', base .. 'wake', '1') end
`;

/**
 * ARGV: base, now, count, then per job id, name, payload, priority, maxAttempts, runAt|'', group|'',
 * key mode|'', key, key windowMs. Returns [added 0|1, id]... (the id that stands for each job).
 */
export const addScript = `${common}
-- The key state machine (README): returns the id of the job that absorbs this add, or nil to add it.
local function keyed(id, mode, value, window, payload)
  local field = mode .. ':' .. value
  local holder = redis.call('HGET', base .. 'keys', field)
  if mode == 'throttle' then
    if holder then
      local sep = string.find(holder, ':', 1, true)
      if now < tonumber(string.sub(holder, 1, sep - 1)) then return string.sub(holder, sep + 1) end
    end
    redis.call('HSET', base .. 'keys', field, num(now + window) .. ':' .. id)
    return nil
  end
  if holder then
    local jk = base .. 'j:' .. holder
    local f = redis.call('HMGET', jk, 'state', 'attempts', 'wkey')
    if mode == 'dedupe' and (f[1] == 'waiting' or f[1] == 'active') then return holder end
    if mode == 'debounce' and f[1] == 'waiting' and tonumber(f[2]) == 0 then
      if f[3] then redis.call('ZREM', base .. 'wait', f[3]) redis.call('HDEL', jk, 'wkey') end
      redis.call('ZREM', base .. 'delayed', holder)
      redis.call('HSET', jk, 'payload', payload)
      enqueue(holder, now + window)
      return holder
    end
  end
  redis.call('HSET', base .. 'keys', field, id)
  return nil
end
local n = tonumber(ARGV[3])
local out = {}
for i = 0, n - 1 do
  local o = 4 + i * 10
  local id = ARGV[o]
  local jk = base .. 'j:' .. id
  local holder = nil
  local mode = ARGV[o + 7]
  if redis.call('EXISTS', jk) == 1 then holder = id
  elseif mode ~= '' then holder = keyed(id, mode, ARGV[o + 8], tonumber(ARGV[o + 9]), ARGV[o + 2]) end
  if holder then
    out[#out + 1] = 0
    out[#out + 1] = holder
  else
    local runAt = now
    if mode == 'debounce' then runAt = now + tonumber(ARGV[o + 9])
    elseif ARGV[o + 5] ~= '' then runAt = tonumber(ARGV[o + 5]) end
    local seq = redis.call('INCR', base .. 'seq')
    redis.call('HSET', jk, 'name', ARGV[o + 1], 'payload', ARGV[o + 2], 'priority', ARGV[o + 3], 'max', ARGV[o + 4],
      'createdAt', num(now), 'attempts', 0, 'seq', seq)
    if ARGV[o + 6] ~= '' then redis.call('HSET', jk, 'group', ARGV[o + 6]) end
    enqueue(id, runAt)
    out[#out + 1] = 1
    out[#out + 1] = id
  end
end
wake()
return out`;

/** ARGV: base, now, limit, leaseMs, groupConcurrency|'', token prefix, rate limit|'', rate windowMs|''. Returns [id, HGETALL...]... */
export const claimScript = `${common}
promote()
local limit = tonumber(ARGV[3])
local leaseUntil = now + tonumber(ARGV[4])
local gc = tonumber(ARGV[5])
local rateLimit = tonumber(ARGV[7])
local rateKey = nil
if rateLimit then
  local windowMs = tonumber(ARGV[8])
  rateKey = base .. 'rate:' .. num(math.floor(now / windowMs))
end
local scan = limit - 1
if gc or rateLimit then scan = 999 end
local members = redis.call('ZRANGE', base .. 'wait', 0, scan)
local out = {}
local taken = 0
for _, m in ipairs(members) do
  if taken >= limit then break end
  local id = idOf(m)
  local jk = base .. 'j:' .. id
  local group = redis.call('HGET', jk, 'group')
  local ok = true
  if gc and group then ok = tonumber(redis.call('HGET', base .. 'groups', group) or '0') < gc end
  if ok and rateKey and group then ok = tonumber(redis.call('HGET', rateKey, group) or '0') < rateLimit end
  if ok then
    if rateKey and group then
      redis.call('HINCRBY', rateKey, group, 1)
      redis.call('PEXPIRE', rateKey, tonumber(ARGV[8]) * 2)
    end
    taken = taken + 1
    redis.call('ZREM', base .. 'wait', m)
    local token = ARGV[6] .. taken
    redis.call('HDEL', jk, 'wkey')
    redis.call('HINCRBY', jk, 'attempts', 1)
    redis.call('HSET', jk, 'state', 'active', 'token', token, 'lease', num(leaseUntil), 'startedAt', num(now))
    redis.call('ZADD', base .. 'active', leaseUntil, id)
    if group then redis.call('HINCRBY', base .. 'groups', group, 1) end
    out[#out + 1] = id
    out[#out + 1] = redis.call('HGETALL', jk)
  end
end
return out`;

/** ARGV: base, now, leaseMs, then id, token pairs. Returns the ids still held. */
export const extendScript = `${common}
local leaseUntil = now + tonumber(ARGV[3])
local out = {}
for i = 4, #ARGV, 2 do
  local id = ARGV[i]
  if held(id, ARGV[i + 1]) then
    redis.call('HSET', base .. 'j:' .. id, 'lease', num(leaseUntil))
    redis.call('ZADD', base .. 'active', leaseUntil, id)
    out[#out + 1] = id
  end
end
return out`;

/** ARGV: base, now, then id, token, result JSON triples. Returns 1 or 0 per job. */
export const completeScript = `${common}
local out = {}
for i = 3, #ARGV, 3 do
  local id = ARGV[i]
  if held(id, ARGV[i + 1]) then
    deactivate(id)
    local jk = base .. 'j:' .. id
    redis.call('HSET', jk, 'state', 'completed', 'result', ARGV[i + 2], 'finishedAt', num(now))
    redis.call('HDEL', jk, 'error')
    redis.call('ZADD', base .. 'completed', now, id)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out`;

/** ARGV: base, now, id, token, error, retryAt|''. */
export const failScript = `${common}
local id = ARGV[3]
if not held(id, ARGV[4]) then return 'lost' end
deactivate(id)
local jk = base .. 'j:' .. id
redis.call('HSET', jk, 'error', ARGV[5])
local f = redis.call('HMGET', jk, 'attempts', 'max')
if ARGV[6] ~= '' and tonumber(f[1]) < tonumber(f[2]) then
  enqueue(id, tonumber(ARGV[6]))
  wake()
  return 'retried'
end
bury(id, nil)
return 'dead'`;

/** ARGV: base, now, id, token. */
export const releaseScript = `${common}
local id = ARGV[3]
if not held(id, ARGV[4]) then return 0 end
deactivate(id)
redis.call('HINCRBY', base .. 'j:' .. id, 'attempts', -1)
enqueue(id, now)
wake()
return 1`;

/** ARGV: base, now, id, token, progress JSON. */
export const progressScript = `${common}
if not held(ARGV[3], ARGV[4]) then return 0 end
redis.call('HSET', base .. 'j:' .. ARGV[3], 'progress', ARGV[5])
return 1`;

/** ARGV: base, now. Returns the stalled ids. */
export const recoverScript = `${common}
local stalled = redis.call('ZRANGEBYSCORE', base .. 'active', '-inf', now, 'LIMIT', 0, 1000)
for _, id in ipairs(stalled) do
  deactivate(id)
  local jk = base .. 'j:' .. id
  local f = redis.call('HMGET', jk, 'attempts', 'max')
  redis.call('HSET', jk, 'error', 'stalled: the lease expired before the job finished')
  if tonumber(f[1]) < tonumber(f[2]) then enqueue(id, now) else bury(id, nil) end
end
if #stalled > 0 then wake() end
return stalled`;

/** ARGV: base, now, id. */
export const redriveScript = `${common}
local id = ARGV[3]
local jk = base .. 'j:' .. id
if redis.call('HGET', jk, 'state') ~= 'dead' then return 0 end
redis.call('ZREM', base .. 'dead', id)
redis.call('HSET', jk, 'attempts', 0)
redis.call('HDEL', jk, 'finishedAt')
enqueue(id, now)
wake()
return 1`;

/** ARGV: base, now, id. */
export const removeScript = `${common}
local id = ARGV[3]
local jk = base .. 'j:' .. id
local f = redis.call('HMGET', jk, 'state', 'wkey')
if not f[1] or f[1] == 'active' then return 0 end
if f[2] then redis.call('ZREM', base .. 'wait', f[2]) end
redis.call('ZREM', base .. 'delayed', id)
redis.call('ZREM', base .. 'completed', id)
redis.call('ZREM', base .. 'dead', id)
redis.call('DEL', jk)
return 1`;

/** ARGV: base, now. Returns waiting, delayed, active, completed, dead, latency, now. */
export const countsScript = `${common}
promote()
local oldest = now
for _, m in ipairs(redis.call('ZRANGE', base .. 'wait', 0, 9999)) do
  local runAt = tonumber(string.sub(m, 9, 23))
  if runAt < oldest then oldest = runAt end
end
return { redis.call('ZCARD', base .. 'wait'), redis.call('ZCARD', base .. 'delayed'), redis.call('ZCARD', base .. 'active'),
  redis.call('ZCARD', base .. 'completed'), redis.call('ZCARD', base .. 'dead'), num(now - oldest), num(now) }`;

/** ARGV: base, now, state, offset, limit. Returns [id, HGETALL...]... */
export const listScript = `${common}
local state, offset, limit = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local ids = {}
if state == 'waiting' then
  promote()
  for _, m in ipairs(redis.call('ZRANGE', base .. 'wait', offset, offset + limit - 1)) do ids[#ids + 1] = idOf(m) end
elseif state == 'delayed' then
  promote()
  ids = redis.call('ZRANGE', base .. 'delayed', offset, offset + limit - 1)
else
  ids = redis.call('ZRANGE', base .. state, offset, offset + limit - 1)
end
local out = {}
for _, id in ipairs(ids) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGETALL', base .. 'j:' .. id)
end
return out`;

/** ARGV: base, now. Returns now. */
export const timeScript = `${common}
return num(now)`;
