// The Redis the tests of every package use (REDIS_URL, default redis://127.0.0.1:6379), and whether it answers.
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** null when Redis answers a PING; otherwise why not, printed once as the reason to skip. */
export async function redisUnreachable(what: string): Promise<string | null> {
  const c = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  c.on('error', () => {});
  try {
    await c.connect();
    await c.ping();
    return null;
  } catch (error) {
    const reason = `Redis is not reachable at ${REDIS_URL} (${(error as Error).message}): skipping ${what}`;
    console.log(`# ${reason}`);
    return reason;
  } finally {
    c.disconnect();
  }
}
