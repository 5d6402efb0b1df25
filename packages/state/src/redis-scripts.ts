/**
 * The Lua scripts of `redisSync()`. Each runs atomically inside Redis, which is the one place
 * that assigns versions. Keys: KEYS[1] the state's hash (v = version, d = the value as JSON,
 * g = end of the re-seeding grace, ms on Redis's clock), KEYS[2] a sorted set of recent write ids
 * scored by the version each got (so that a write sent twice, e.g. resent by the client after a
 * reconnect, applies once). The update message published on ARGV's channel is
 * `<version>:<write id>:<JSON>`.
 */

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** How many recent write ids are kept per state. */
export const RECENT_IDS = 1024;

/**
 * JOIN: ARGV = channel, local version, local JSON, grace (ms), then pairs of (version, id) the
 * client has seen. Reply: { version, JSON }.
 *
 * - no state (first start, or Redis came back empty): the local snapshot is adopted; when it has
 *   history (version > 0) the state enters a grace period in which writes wait, so that every
 *   process that held a newer snapshot can re-seed it before anyone writes on an older one;
 * - a newer local snapshot during the grace: adopted and published;
 * - a newer local version after the grace: the value stays, the version jumps past the local one
 *   (versions never go back for anyone, and the late process takes the value) and is published.
 */
export const JOIN = `${NOW}
local lv = tonumber(ARGV[2])
local v = tonumber(redis.call('HGET', KEYS[1], 'v'))
for i = 5, #ARGV, 2 do
  redis.call('ZADD', KEYS[2], 'NX', ARGV[i], ARGV[i + 1])
end
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -${RECENT_IDS + 1})
if v == nil then
  if lv > 0 then
    redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', ARGV[3], 'g', now + tonumber(ARGV[4]))
    redis.call('PUBLISH', ARGV[1], ARGV[2] .. '::' .. ARGV[3])
  else
    redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', ARGV[3], 'g', 0)
  end
  return {ARGV[2], ARGV[3]}
end
if lv > v then
  local d
  if now < tonumber(redis.call('HGET', KEYS[1], 'g') or '0') then
    d = ARGV[3]
    redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', d)
    redis.call('PUBLISH', ARGV[1], ARGV[2] .. '::' .. d)
    return {ARGV[2], d}
  end
  -- one past the local version, so that the late process (holding that version) takes the value too
  local nv = string.format('%d', lv + 1)
  d = redis.call('HGET', KEYS[1], 'd')
  redis.call('HSET', KEYS[1], 'v', nv)
  redis.call('PUBLISH', ARGV[1], nv .. '::' .. d)
  return {nv, d}
end
return {string.format('%d', v), redis.call('HGET', KEYS[1], 'd')}`;

/**
 * WRITE: ARGV = channel, base version ('' for an unconditional write), JSON, write id.
 * Reply: {1, version} accepted (or already accepted under this id), {0, version, JSON} refused
 * (the state is past `base`), {-1} no state (Redis lost it: re-join, then retry), {-2, ms} in the
 * re-seeding grace (retry after ms).
 */
export const WRITE = `${NOW}
local seen = redis.call('ZSCORE', KEYS[2], ARGV[4])
if seen then return {1, seen} end
local h = redis.call('HMGET', KEYS[1], 'v', 'g')
local v = tonumber(h[1])
if v == nil then return {-1} end
local g = tonumber(h[2] or '0')
if now < g then return {-2, g - now} end
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= v then return {0, string.format('%d', v), redis.call('HGET', KEYS[1], 'd')} end
v = v + 1
local vs = string.format('%d', v)
redis.call('HSET', KEYS[1], 'v', vs, 'd', ARGV[3])
redis.call('ZADD', KEYS[2], v, ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -${RECENT_IDS + 1})
redis.call('PUBLISH', ARGV[1], vs .. ':' .. ARGV[4] .. ':' .. ARGV[3])
return {1, vs}`;
