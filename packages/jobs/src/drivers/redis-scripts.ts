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
    redis.call('ZADD', base .. 'wait', '0', m)
    redis.call('HSET', jk, 'wkey', m)
  else
    redis.call('ZADD', base .. 'delayed', num(runAt), id)
  end
end
local function promote()
  local due = redis.call('ZRANGEBYSCORE', base .. 'delayed', '-inf', now, 'LIMIT', 0, 1000)
  for _, id in ipairs(due) do
    redis.call('ZREM', base .. 'delayed', id)
    local jk = base .. 'j:' .. id
    local m = member(jk, id)
    redis.call('ZADD', base .. 'wait', '0', m)
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
    if redis.call('HINCRBY', base .. 'groups', group, '-1') <= 0 then redis.call('HDEL', base .. 'groups', group) end
  end
  redis.call('HDEL', jk, 'token', 'lease')
end
local function bury(id, reason)
  local jk = base .. 'j:' .. id
  redis.call('HSET', jk, 'state', 'dead', 'finishedAt', num(now))
  if reason then redis.call('HSET', jk, 'error', reason) end
  redis.call('ZADD', base .. 'dead', num(now), id)
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
local createdAt = num(now)
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
      'createdAt', createdAt, 'attempts', '0', 'seq', num(seq))
    if ARGV[o + 6] ~= '' then redis.call('HSET', jk, 'group', ARGV[o + 6]) end
    enqueue(id, runAt)
    out[#out + 1] = 1
    out[#out + 1] = id
  end
end
wake()
return out`;

// Claims and completions, shared by claimScript, completeScript and completeAndClaimScript. A claim
// answers one JSON text the client parses at once, not a nested array of hash fields: decoding the
// array was a third of the worker's CPU (bench/index.ts, "process 20000 no-op jobs").
const claiming = `
-- Runs a Redis command over a long list of arguments, 1,000 at a time (Lua's unpack has a limit).
local function bulk(command, key, args)
  for i = 1, #args, 1000 do
    redis.call(command, key, unpack(args, i, math.min(i + 999, #args)))
  end
end
-- ARGV from 'from' on: id, token, result JSON, remove ('1' deletes the job: removeOnComplete) quadruples.
-- Returns 1 or 0 per job.
local function completeJobs(from)
  local out = {}
  local ids, finished = {}, {}
  local finishedAt = num(now)
  for i = from, #ARGV, 4 do
    local id = ARGV[i]
    local jk = base .. 'j:' .. id
    local f = redis.call('HMGET', jk, 'state', 'token', 'group', 'error')
    if f[1] == 'active' and f[2] == ARGV[i + 1] then
      if ARGV[i + 3] == '1' then
        redis.call('DEL', jk)
      else
        -- The token and lease stay behind on a completed job: held() checks the state first.
        redis.call('HSET', jk, 'state', 'completed', 'result', ARGV[i + 2], 'finishedAt', finishedAt)
        if f[4] then redis.call('HDEL', jk, 'error') end
        finished[#finished + 1] = finishedAt
        finished[#finished + 1] = id
      end
      if f[3] and redis.call('HINCRBY', base .. 'groups', f[3], '-1') <= 0 then redis.call('HDEL', base .. 'groups', f[3]) end
      ids[#ids + 1] = id
      out[#out + 1] = 1
    else
      out[#out + 1] = 0
    end
  end
  if #ids > 0 then bulk('ZREM', base .. 'active', ids) end
  if #finished > 0 then bulk('ZADD', base .. 'completed', finished) end
  return out
end
local function text(value) if value then return cjson.encode(value) end return 'null' end
-- Returns the JSON text [startedAt, leaseUntil, [id, name, payload, priority, attempts, max, runAt,
-- createdAt, group, progress, error]...]; the token of the n-th job is prefix .. n.
local function claimJobs(limit, leaseMs, gc, prefix, rateLimit, rateWindow)
  promote()
  local leaseUntil = now + leaseMs
  local lease, started = num(leaseUntil), num(now)
  local out = { started, lease }
  if limit <= 0 then return '[' .. table.concat(out, ',') .. ']' end
  local rateKey = nil
  if rateLimit then rateKey = base .. 'rate:' .. num(math.floor(now / rateWindow)) end
  local fair = gc or rateLimit
  -- Without group limits every due job in order is taken: popped at once. With them, up to 1,000
  -- are looked at and a group at its limit is passed over.
  -- (ZRANGE and ZREMRANGEBYRANK rather than ZPOPMIN, whose reply carries every member's score.)
  local members
  if fair then members = redis.call('ZRANGE', base .. 'wait', '0', '999')
  else
    members = redis.call('ZRANGE', base .. 'wait', '0', num(limit - 1))
    if #members > 0 then redis.call('ZREMRANGEBYRANK', base .. 'wait', '0', num(#members - 1)) end
  end
  local active = {}
  -- Attempts and names as text once per value, not per job: formatting is the costly part of this loop.
  local counts, names = {}, {}
  local taken = 0
  for i = 1, #members do
    if taken >= limit then break end
    local m = members[i]
    local id = idOf(m)
    local jk = base .. 'j:' .. id
    local ok = true
    if fair then
      local group = redis.call('HGET', jk, 'group')
      if gc and group then ok = tonumber(redis.call('HGET', base .. 'groups', group) or '0') < gc end
      if ok and rateKey and group then ok = tonumber(redis.call('HGET', rateKey, group) or '0') < rateLimit end
      if ok and rateKey and group then
        redis.call('HINCRBY', rateKey, group, '1')
        redis.call('PEXPIRE', rateKey, num(rateWindow * 2))
      end
      if ok then redis.call('ZREM', base .. 'wait', m) end
    end
    if ok then
      taken = taken + 1
      local f = redis.call('HMGET', jk, 'name', 'payload', 'priority', 'attempts', 'max', 'runAt', 'createdAt',
        'group', 'progress', 'error')
      local attempts = counts[f[4]]
      if not attempts then
        attempts = num(tonumber(f[4]) + 1)
        counts[f[4]] = attempts
      end
      -- The lease is kept in the active set only (its score).
      redis.call('HSET', jk, 'state', 'active', 'attempts', attempts, 'token', prefix .. taken, 'startedAt', started)
      if f[8] then redis.call('HINCRBY', base .. 'groups', f[8], '1') end
      active[#active + 1] = lease
      active[#active + 1] = id
      local name = names[f[1]]
      if not name then
        name = cjson.encode(f[1])
        names[f[1]] = name
      end
      out[#out + 1] = '[' .. cjson.encode(id) .. ',' .. name .. ',' .. f[2] .. ',' .. f[3] .. ',' ..
        attempts .. ',' .. f[5] .. ',' .. f[6] .. ',' .. f[7] .. ',' .. text(f[8]) .. ',' .. (f[9] or 'null') .. ',' ..
        text(f[10]) .. ']'
    end
  end
  if #active > 0 then bulk('ZADD', base .. 'active', active) end
  return '[' .. table.concat(out, ',') .. ']'
end
`;

/** ARGV: base, now, limit, leaseMs, groupConcurrency|'', token prefix, rate limit|'', rate windowMs|''. Returns claimJobs' JSON. */
export const claimScript = `${common}${claiming}
return claimJobs(tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8]))`;

/** ARGV: base, now, then id, token, result JSON, remove quadruples. Returns 1 or 0 per job. */
export const completeScript = `${common}${claiming}
return completeJobs(3)`;

/**
 * ARGV: base, now, limit, leaseMs, groupConcurrency|'', token prefix, rate limit|'', rate windowMs|'',
 * then id, token, result JSON, remove quadruples. Completes first, so the claim sees the group slots it freed.
 * Returns [1 or 0 per completion..., claimJobs' JSON].
 */
export const completeAndClaimScript = `${common}${claiming}
local out = completeJobs(9)
out[#out + 1] = claimJobs(tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8]))
return out`;

/** ARGV: base, now, leaseMs, then id, token pairs. Returns the ids still held. */
export const extendScript = `${common}
local leaseUntil = num(now + tonumber(ARGV[3]))
local out = {}
for i = 4, #ARGV, 2 do
  local id = ARGV[i]
  if held(id, ARGV[i + 1]) then
    redis.call('ZADD', base .. 'active', leaseUntil, id)
    out[#out + 1] = id
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
redis.call('HINCRBY', base .. 'j:' .. id, 'attempts', '-1')
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

/**
 * ARGV: base, now, state (completed|dead), age ms|'', count|''. Deletes the finished jobs of the state
 * that are not among the newest count or finished age ms ago or earlier; returns how many.
 */
export const pruneScript = `${common}
local set = base .. ARGV[3]
local age, count = tonumber(ARGV[4]), tonumber(ARGV[5])
local gone = {}
if age then
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', set, '-inf', now - age)) do gone[#gone + 1] = id end
end
if count then
  local stop = -(count + 1)
  for _, id in ipairs(redis.call('ZRANGE', set, 0, stop)) do gone[#gone + 1] = id end
end
local removed = 0
for _, id in ipairs(gone) do
  if redis.call('ZREM', set, id) == 1 then
    redis.call('DEL', base .. 'j:' .. id)
    removed = removed + 1
  end
end
return removed`;

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
