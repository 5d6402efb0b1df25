// What this app needs from its environment, validated at start-up. The root schema (Zod here;
// Valibot or ArkType work the same) coerces strings into numbers and booleans; the `database`
// namespace gathers the variables of one concern into an object with its own schema.
import { registerAs } from '@armature/config';
import { z } from 'zod';

export const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  GREETING: z.string().min(1).default('Hello'),
  FEATURE_SIGNUP: z.stringbool().default(false),
  /** A secret: required, and never shown in a message, even when it is refused. */
  API_KEY: z.string().min(16, 'must be at least 16 characters'),
});
export type Env = z.output<typeof Env>;

export const databaseConfig = registerAs(
  'database',
  (env) => ({ url: env.DATABASE_URL, pool: env.DATABASE_POOL }),
  z.object({ url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'), pool: z.coerce.number().int().min(1).max(100).default(10) }),
);
