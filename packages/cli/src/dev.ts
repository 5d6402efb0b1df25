/**
 * `armature dev`: runs the app from its TypeScript sources (through tsx) and restarts it when a
 * file under the watched folders changes. A restart is graceful: the running process gets
 * SIGTERM and is waited for (Armature's shutdown hooks let in-flight requests finish), and is
 * killed only after `grace` ms; then the new one starts. Ctrl-C stops the app the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from './project.js';

export interface DevOptions {
  root: string;
  /** The entry file. Default `src/main.ts`. */
  entry?: string;
  /** Folders and files to watch, relative to the root. Default: `src` and the `.env*` files. */
  watch?: readonly string[];
  /** How long a stopping app may take before SIGKILL, in ms. Default 10 000. */
  grace?: number;
  /** Quiet period after a change before restarting, in ms. Default 100. */
  debounce?: number;
  /** Extra arguments for node (`--inspect`). */
  nodeArgs?: readonly string[];
  /** Where to say what happens. Default: stderr. */
  log?: (line: string) => void;
}

/** A running dev loop. */
export interface DevSession {
  /** Stops the app (gracefully) and the watchers; resolves when both are done. */
  stop(): Promise<void>;
  /** Resolves when the loop has stopped (after stop(), or a signal). */
  readonly done: Promise<void>;
}

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const IGNORED = /(^|[\\/])(node_modules|dist|\.git)([\\/]|$)|~$|\.sw.$/;

export function dev(options: DevOptions): DevSession {
  const root = options.root;
  const entry = resolve(root, options.entry ?? 'src/main.ts');
  if (!existsSync(entry)) throw new CliError(`no ${relative(root, entry)}: give the entry file (armature dev src/server.ts)`);
  const log = options.log ?? ((line: string) => process.stderr.write(`[armature] ${line}\n`));
  const grace = options.grace ?? 10_000;
  const debounce = options.debounce ?? 100;

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let restarting: Promise<void> | null = null;
  let pending = false;

  const start = (): void => {
    // its own process group: Ctrl-C in the terminal reaches this loop only, which then stops the
    // app with one SIGTERM (a second signal would cut Armature's graceful shutdown short)
    const proc = spawn(process.execPath, ['--import', tsxLoader, ...(options.nodeArgs ?? []), entry], {
      cwd: root,
      stdio: 'inherit',
      env: process.env,
      detached: process.platform !== 'win32',
    });
    child = proc;
    exited = new Promise((done) => {
      proc.once('exit', (code, signal) => {
        if (child === proc) child = null;
        if (!stopping && restarting === null) log(`the app exited (${signal ?? `code ${code}`}); waiting for a change to start it again`);
        done();
      });
    });
  };

  /** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. */
  const halt = async (): Promise<void> => {
    const proc = child;
    if (proc === null) return;
    proc.kill('SIGTERM');
    const killer = setTimeout(() => {
      log(`the app did not stop within ${grace} ms: killing it`);
      proc.kill('SIGKILL');
    }, grace);
    await exited;
    clearTimeout(killer);
  };

  const restart = (why: string): void => {
    if (stopping) return;
    if (restarting !== null) {
      pending = true;
      return;
    }
    log(`${why}: restarting`);
    restarting = halt().then(() => {
      restarting = null;
      if (stopping) return;
      start();
      if (pending) {
        pending = false;
        restart('more changes');
      }
    });
  };

  const watchers: FSWatcher[] = [];
  const targets = options.watch ?? ['src', ...['.env', '.env.local', `.env.${process.env.NODE_ENV ?? 'development'}`]];
  for (const target of targets) {
    const path = join(root, target);
    if (!existsSync(path)) continue;
    const w = watch(path, { recursive: true }, (_event, file) => {
      const changed = file === null ? target : join(target, String(file));
      if (IGNORED.test(changed)) return;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        restart(`${changed} changed`);
      }, debounce);
    });
    w.on('error', (error) => log(`watching ${target} failed: ${error.message}`));
    watchers.push(w);
  }

  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const stop = async (): Promise<void> => {
    if (stopping) return done;
    stopping = true;
    if (timer !== null) clearTimeout(timer);
    for (const w of watchers) w.close();
    if (restarting !== null) await restarting;
    await halt();
    finish();
    return done;
  };
  // if this process ends some other way, the app (in its own group) must not outlive it
  process.once('exit', () => {
    if (child !== null) child.kill('SIGTERM');
  });
  log(`watching ${targets.filter((t) => existsSync(join(root, t))).join(', ')}; running ${relative(root, entry)}`);
  start();
  return { stop, done };
}
