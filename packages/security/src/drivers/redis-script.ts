// The Lua script of the Redis store: the arithmetic of limits.ts, line for line, so one EVALSHA
// checks every policy of a request atomically (all or nothing) in one round trip.

/**
 * Several checks per call (the driver batches the checks of one event-loop turn), each of several
 * policies, each check all or nothing, in order. KEYS: one per policy, checks one after the other.
 * ARGV[1]: now in ms, or '' for the server clock (redis TIME, the same for every process).
 * ARGV[2]: the number of checks C; ARGV[3]: the number of distinct policies P;
 * ARGV[4 .. 3 + C]: policies per check. Then 6 per distinct policy: algorithm (f|s|t), limit,
 * windowMs, burst, cost, force (1|0). Then one per key: the index (1 .. P) of its policy.
 * Returns 4 integers per key: allowed (1|0), remaining, resetMs, retryAfterMs.
 */
export const consumeScript = `
local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
else
  now = tonumber(ARGV[1])
end
-- "a b c" -> {a, b, c} with plain finds (cheaper than gmatch's iterator, bench "Redis limiter").
local function fields(raw)
  local out, from = {}, 1
  while true do
    local space = string.find(raw, ' ', from, true)
    if not space then
      out[#out + 1] = tonumber(string.sub(raw, from))
      return out
    end
    out[#out + 1] = tonumber(string.sub(raw, from, space - 1))
    from = space + 1
  end
end

local checks = tonumber(ARGV[2])
local policies = {}
for p = 1, tonumber(ARGV[3]) do
  local b = 3 + checks + (p - 1) * 6
  policies[p] = {
    ARGV[b + 1], tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4]),
    tonumber(ARGV[b + 5]), ARGV[b + 6] == '1',
  }
end
local indexBase = 3 + checks + #policies * 6
local function policyOf(i)
  return policies[tonumber(ARGV[indexBase + i])]
end

-- Every key read with one MGET instead of a GET per key (a redis.call costs more than the Lua around
-- it, bench "Redis limiter"); a key set by an earlier check of this call is read from \`current\`.
local latest = {}
local values = redis.call('MGET', unpack(KEYS))
for i = 1, #KEYS do
  latest[KEYS[i]] = values[i]
end

local function evaluate(i, cost)
  local policy = policyOf(i)
  local algo, limit, windowMs, burst, force = policy[1], policy[2], policy[3], policy[4], policy[6]
  local raw = latest[KEYS[i]]
  local s = {}
  if raw then s = fields(raw) end
  local allowed, remaining, resetMs, retry, nextState, expiresAt
  -- The key already expires at expiresAt when its state is of this window (set by an earlier check of
  -- this window): SET ... KEEPTTL (Redis 6.0+) then, about half the cost of SET ... PX (bench "Redis limiter").
  local sameWindow = false
  if algo == 'f' then
    local start = now - (now % windowMs)
    local count = 0
    if s[1] == start then count = s[2] end
    allowed = count + cost <= limit
    local used = count
    if allowed or force then used = count + cost end
    resetMs = start + windowMs - now
    remaining = math.max(0, limit - used)
    retry = 0
    if not allowed then retry = resetMs end
    nextState = string.format('%d %d', start, used)
    expiresAt = start + windowMs
    sameWindow = s[1] == start
  elseif algo == 's' then
    local start = now - (now % windowMs)
    local current, previous = 0, 0
    if s[1] == start then
      current = s[2]
      previous = s[3]
    elseif s[1] == start - windowMs then
      previous = s[2]
    end
    local elapsed = now - start
    local weight = (windowMs - elapsed) / windowMs
    local estimate = previous * weight + current
    allowed = estimate + cost <= limit
    local used = current
    if allowed or force then used = current + cost end
    retry = 0
    if not allowed then
      if current + cost > limit then
        local needed = 0
        if current ~= 0 then needed = windowMs * (1 - (limit - cost) / current) end
        retry = windowMs - elapsed + math.max(0, math.ceil(needed))
      else
        local needed = windowMs * (1 - (limit - current - cost) / previous)
        retry = math.max(1, math.ceil(needed - elapsed))
      end
    end
    local after = previous * weight + used
    remaining = math.max(0, math.floor(limit - after))
    if after == 0 then resetMs = 0 else
      resetMs = windowMs - elapsed
      if used > 0 then resetMs = resetMs + windowMs end
    end
    nextState = string.format('%d %d %d', start, used, previous)
    expiresAt = start + 2 * windowMs
    sameWindow = s[1] == start
  else
    local interval = windowMs / limit
    local tolerance = burst * interval
    local tat = now
    if s[1] and s[1] > now then tat = s[1] end
    local newTat = tat + cost * interval
    local allowAt = newTat - tolerance
    allowed = now >= allowAt
    local stored = tat
    if allowed or force then stored = newTat end
    remaining = math.max(0, math.floor((tolerance - (stored - now)) / interval))
    resetMs = math.ceil(stored - now)
    retry = 0
    if not allowed then retry = math.ceil(allowAt - now) end
    nextState = string.format('%.17g', stored)
    expiresAt = math.ceil(stored)
  end
  return { allowed, remaining, resetMs, retry, nextState, expiresAt, force, sameWindow }
end

local out = {}
local first = 1
for c = 1, checks do
  local last = first + tonumber(ARGV[3 + c]) - 1
  local results = {}
  local all = true
  for i = first, last do
    results[i] = evaluate(i, policyOf(i)[5])
    if not results[i][1] then all = false end
  end
  for i = first, last do
    local r = results[i]
    if all or r[7] then
      if r[8] then
        redis.call('SET', KEYS[i], r[5], 'KEEPTTL')
      else
        redis.call('SET', KEYS[i], r[5], 'PX', math.max(1, r[6] - now))
      end
      latest[KEYS[i]] = r[5]
    elseif r[1] then
      -- Not recorded (another policy of this check denied): report this policy as it stands.
      r = evaluate(i, 0)
    end
    out[#out + 1] = r[1] and 1 or 0
    out[#out + 1] = r[2]
    out[#out + 1] = r[3]
    out[#out + 1] = r[4]
  end
  first = last + 1
end
return out
`;
