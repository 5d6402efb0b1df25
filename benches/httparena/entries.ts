// Starting an entry as its own process (the test and the benchmark do): `node --import tsx
// <file>` with PROFILE and the port variables, resolved once every listener has announced its
// port on stdout (`<entry> <listener> listening on <url>`).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LISTENERS, listenersFor, type Listener } from './profiles.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every entry: Armature's, and the references written to the same rules. */
export const ENTRIES = {
  armature: 'benches/httparena/armature/main.ts',
  'node-http': 'benches/httparena/node-http.ts',
  fastify: 'benches/httparena/fastify.ts',
} as const;

export type EntryName = keyof typeof ENTRIES;

/** Whether each entry serves echo-ws on /ws: true, or why not. */
export const SERVES_WEBSOCKET: Record<EntryName, true | string> = {
  armature: true,
  'node-http': true,
  fastify: true,
};

export interface RunningEntry {
  child: ChildProcess;
  ports: Partial<Record<Listener, number>>;
  stderr(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

/** Starts `entry` serving `profile` (default all) on ports the system picks unless `env` names them. */
export function startEntry(entry: EntryName, { profile = 'all', env = {}, argv = [] as string[], timeoutMs = 60_000 } = {}): Promise<RunningEntry> {
  const expected = listenersFor(profile);
  const ports = Object.fromEntries(LISTENERS.map((l) => [l === 'h1' ? 'PORT' : l === 'h1-tls' ? 'TLS_PORT' : l === 'h2' ? 'H2_PORT' : 'H2C_PORT', '0']));
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRIES[entry], ...argv], {
    cwd: root,
    env: { ...process.env, ...ports, PROFILE: profile, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => { errors = (errors + d.toString()).slice(-4000); });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const running: RunningEntry = {
    child,
    ports: {},
    stderr: () => errors,
    async stop(graceMs = 6000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not start within ${timeoutMs} ms: ${out}${errors}`));
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      for (const m of out.matchAll(/ (h1|h1-tls|h2|h2c) listening on \w+:\/\/[^:]+:(\d+)/g)) running.ports[m[1] as Listener] = Number(m[2]);
      if (expected.every((l) => running.ports[l] !== undefined)) {
        clearTimeout(timer);
        resolve(running);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before listening: ${out}${errors}`));
    });
  });
}
