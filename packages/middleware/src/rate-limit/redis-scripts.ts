/**
 * The Lua scripts of the Redis store: each decides one hit atomically inside Redis, on Redis's
 * clock (`TIME`), so every worker and machine sharing the server shares one limit. Arguments:
 * limit, window (ms), cost. Reply: allowed (0/1), remaining, reset (ms), retry-after (ms).
 */

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, window, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])`;

/** A string counter that expires with its window (the window starts at the first hit). */
export const FIXED_WINDOW = `local limit, window, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local ttl = redis.call('PTTL', KEYS[1])
local count = 0
if ttl < 0 then
  redis.call('SET', KEYS[1], 0, 'PX', window)
  ttl = window
else
  count = tonumber(redis.call('GET', KEYS[1]))
end
if count + cost > limit then
  local retry = ttl
  if cost > limit then retry = ttl + window end
  return {0, math.max(0, limit - count), ttl, retry}
end
count = redis.call('INCRBY', KEYS[1], cost)
return {1, limit - count, ttl, 0}`;

/** A hash: w = current window number, c = its count, p = the previous window's count. */
export const SLIDING_WINDOW = `${NOW}
local cur = math.floor(now / window)
local h = redis.call('HMGET', KEYS[1], 'w', 'c', 'p')
local w, c, p = tonumber(h[1]), tonumber(h[2]) or 0, tonumber(h[3]) or 0
if w ~= cur then
  if w == cur - 1 then p = c else p = 0 end
  c = 0
end
local elapsed = now - cur * window
local estimate = p * (1 - elapsed / window) + c
local reset = window - elapsed
if estimate + cost > limit then
  redis.call('HSET', KEYS[1], 'w', cur, 'c', c, 'p', p)
  redis.call('PEXPIRE', KEYS[1], 2 * window)
  local room = limit - c - cost
  local retry
  if room >= 0 and p > 0 then
    retry = math.max(1, math.ceil(window * (1 - room / p) - elapsed))
  elseif c <= 0 or cost > limit then
    retry = reset + window
  else
    retry = math.max(1, math.ceil(reset + window * math.max(0, 1 - (limit - cost) / c)))
  end
  return {0, math.max(0, math.floor(limit - estimate)), reset, retry}
end
c = c + cost
redis.call('HSET', KEYS[1], 'w', cur, 'c', c, 'p', p)
redis.call('PEXPIRE', KEYS[1], 2 * window)
return {1, math.max(0, math.floor(limit - estimate - cost)), reset, 0}`;

/** A hash: k = tokens (as text, fractional), ts = time of the last refill. */
export const TOKEN_BUCKET = `${NOW}
local rate = limit / window
local h = redis.call('HMGET', KEYS[1], 'k', 'ts')
local tokens = limit
if h[1] then
  tokens = math.min(limit, tonumber(h[1]) + (now - tonumber(h[2])) * rate)
end
local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
elseif cost > limit then
  retry = -1
else
  retry = math.ceil((cost - tokens) / rate)
end
local reset = math.ceil((limit - tokens) / rate)
redis.call('HSET', KEYS[1], 'k', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.max(1, reset))
return {allowed, math.floor(tokens), reset, retry}`;
