// HttpArena's profiles as this entry serves them: which listener each needs (plain HTTP/1.1,
// HTTP/1.1 over TLS, HTTP/2 over TLS, HTTP/2 cleartext) and on which port. The ports are
// HttpArena's (8080, 8081, 8443, 8082); PORT, TLS_PORT, H2_PORT and H2C_PORT override them
// (0: one the system picks, announced on stdout).

/** The listeners an entry can open. */
export type Listener = 'h1' | 'h1-tls' | 'h2' | 'h2c';

export const LISTENERS: readonly Listener[] = ['h1', 'h1-tls', 'h2', 'h2c'];

/** Every profile name HttpArena's meta.json uses that runs on one machine, and its listener. */
export const PROFILES = {
  baseline: 'h1',
  pipelined: 'h1',
  'limited-conn': 'h1',
  'short-lived': 'h1',
  json: 'h1',
  'json-comp': 'h1',
  upload: 'h1',
  static: 'h1',
  'async-db': 'h1',
  crud: 'h1',
  'api-4': 'h1',
  'api-16': 'h1',
  'echo-ws': 'h1',
  'json-tls': 'h1-tls',
  'baseline-h2': 'h2',
  'static-h2': 'h2',
  'baseline-h2c': 'h2c',
  'json-h2c': 'h2c',
} as const satisfies Record<string, Listener>;

export type Profile = keyof typeof PROFILES;

const DEFAULT_PORTS: Record<Listener, number> = { h1: 8080, 'h1-tls': 8081, h2: 8443, h2c: 8082 };
const PORT_VARIABLES: Record<Listener, string> = { h1: 'PORT', 'h1-tls': 'TLS_PORT', h2: 'H2_PORT', h2c: 'H2C_PORT' };

/**
 * The listeners PROFILE asks for: one profile's, or every listener for `all` (the default, what
 * HttpArena's validation script talks to). An unknown name is an error listing the known ones.
 */
export function listenersFor(profile: string | undefined = process.env.PROFILE): Listener[] {
  if (profile === undefined || profile === '' || profile === 'all') return [...LISTENERS];
  const listener = (PROFILES as Record<string, Listener>)[profile];
  if (listener === undefined) throw new Error(`PROFILE must be all or one of ${Object.keys(PROFILES).join(', ')}, not "${profile}"`);
  return [listener];
}

/** The port of a listener: its variable (PORT, TLS_PORT, H2_PORT, H2C_PORT) or HttpArena's. */
export function portOf(listener: Listener, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[PORT_VARIABLES[listener]];
  if (raw === undefined || raw === '') return DEFAULT_PORTS[listener];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${PORT_VARIABLES[listener]} must be a port number, not "${raw}"`);
  return port;
}

export const listenHost = (): string => process.env.HOST ?? '127.0.0.1';

/** The start-up line the tests and the benchmark read: `<entry> <listener> listening on <url>`. */
export function announce(entry: string, listener: Listener, port: number): void {
  const scheme = listener === 'h1-tls' || listener === 'h2' ? 'https' : 'http';
  console.log(`${entry} ${listener} listening on ${scheme}://${listenHost()}:${port}`);
}
