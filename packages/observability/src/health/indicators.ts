/**
 * Ready-made health indicators. An indicator is a function that resolves (the dependency is up,
 * optionally with details) or throws (down, the error's message says why); the health check
 * applies the timeout.
 */

/** What an indicator may report beside "up": details shown under its name. */
export type IndicatorDetails = Record<string, unknown>;

/** Resolves when the dependency is up (optionally with details); throws or rejects when it is down. */
export type HealthIndicator = () => unknown;

/** An indicator that says down with details of its own. */
export class IndicatorDown extends Error {
  readonly details: IndicatorDetails;
  constructor(message: string, details: IndicatorDetails = {}) {
    super(message);
    this.name = 'IndicatorDown';
    this.details = details;
  }
}

/** Anything with `query(sql)`: a `pg` Pool or Client, a `postgres` sql tag's `unsafe`, … */
export interface Queryable {
  query(sql: string): Promise<unknown>;
}

/** PostgreSQL (`pg` Pool or Client, or anything with `query(sql)`): runs `SELECT 1`. */
export function postgresIndicator(db: Queryable): HealthIndicator {
  return async () => {
    await db.query('SELECT 1');
  };
}

/** Anything with `ping()`: an `ioredis` client (or cluster), a `redis` v4 client. */
export interface Pingable {
  ping(): Promise<unknown>;
}

/** Redis (`ioredis` or `redis`): `PING` must answer `PONG`. */
export function redisIndicator(client: Pingable): HealthIndicator {
  return async () => {
    const answer = await client.ping();
    if (answer !== 'PONG') throw new IndicatorDown(`PING answered ${JSON.stringify(answer)}`);
  };
}

/** Heap in use below `maxBytes` (a leak turns it down, and a liveness probe restarts the process). */
export function heapIndicator(maxBytes: number): HealthIndicator {
  if (!(maxBytes > 0)) throw new TypeError('heapIndicator: maxBytes must be a positive number');
  return () => {
    const used = process.memoryUsage().heapUsed;
    if (used > maxBytes) throw new IndicatorDown(`heap used ${used} bytes is over ${maxBytes}`, { heapUsed: used, maxBytes });
    return { heapUsed: used };
  };
}

/** Resident set size below `maxBytes`. */
export function rssIndicator(maxBytes: number): HealthIndicator {
  if (!(maxBytes > 0)) throw new TypeError('rssIndicator: maxBytes must be a positive number');
  return () => {
    const rss = process.memoryUsage.rss();
    if (rss > maxBytes) throw new IndicatorDown(`rss ${rss} bytes is over ${maxBytes}`, { rss, maxBytes });
    return { rss };
  };
}
