// Keeps a local PostgreSQL off the server's core during the database tests. TechEmpower runs the
// database on a machine of its own; on a two-core machine the nearest thing is the load
// generator's core, so that the framework under test has core 0 to itself and PostgreSQL's work
// is not charged to whichever framework drives it hardest. The server process (postmaster) and
// every process it has started are pinned (backends started later inherit the mask), and the
// original masks are put back when this process exits. DB_CORE=none leaves PostgreSQL alone.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { descendants, has, listenerPid, processTable } from './load.mjs';

/** Host names of this machine as `URL.hostname` gives them (an IPv6 address keeps its brackets). */
const LOCAL = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The CPUs a process may run on, as Linux lists them ("0-1", "1"); null if it is gone. */
function allowedCpus(pid) {
  try {
    return /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}

/** `taskset -a -p -c <cpus> <pid>` (every thread); the error text, or null when it worked. */
function setAffinity(pid, cpus) {
  const r = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { encoding: 'utf8' });
  return r.status === 0 ? null : (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0];
}

/** The postmaster serving `port` of 127.0.0.1, or, failing that, the only PostgreSQL root process. */
function postmaster(port, table) {
  const named = [...table].filter(([, p]) => p.comm === 'postgres' || p.comm === 'postmaster').map(([pid]) => pid);
  const roots = named.filter((pid) => !named.includes(table.get(pid).ppid));
  return listenerPid(port, roots) ?? (roots.length === 1 ? roots[0] : undefined);
}

/**
 * Pins the PostgreSQL of `databaseUrl` to `core` (DB_CORE overrides; "none" to skip) when it runs
 * on this machine. Returns a line saying what was done, for the report; the masks are restored
 * on exit (including Ctrl-C).
 */
export function pinDatabase(databaseUrl, core = process.env.DB_CORE ?? '1') {
  if (core === 'none' || core === '') return 'PostgreSQL not pinned (DB_CORE=none)';
  if (!/^\d+$/.test(core)) throw new Error(`DB_CORE must be a core number or "none", not "${core}"`);
  let url;
  try {
    url = new URL(databaseUrl);
  } catch {
    return 'PostgreSQL not pinned (DATABASE_URL is not a URL)';
  }
  if (!LOCAL.has(url.hostname || '127.0.0.1')) return `PostgreSQL not pinned (${url.hostname} is not this machine)`;
  if (!has('taskset')) return 'PostgreSQL not pinned (no taskset)';
  const table = processTable();
  const root = postmaster(Number(url.port || 5432), table);
  if (root === undefined) return 'PostgreSQL not pinned (its server process was not found)';

  const saved = new Map();
  for (const pid of descendants(root, table)) {
    const cpus = allowedCpus(pid);
    if (cpus === null) continue;
    const error = setAffinity(pid, core);
    if (error !== null) {
      restore(saved);
      return `PostgreSQL not pinned (${error}); it shares every core with the server`;
    }
    saved.set(pid, cpus);
  }
  process.once('exit', () => restore(saved, root));
  return `PostgreSQL (pid ${root} and its ${saved.size - 1} processes) pinned to core ${core}, with the load generator`;
}

/** Puts the saved masks back; the backends started meanwhile get their postmaster's. */
function restore(saved, root) {
  for (const [pid, cpus] of saved) setAffinity(pid, cpus);
  if (root === undefined || !saved.has(root)) return;
  const table = processTable();
  for (const pid of descendants(root, table)) if (!saved.has(pid)) setAffinity(pid, saved.get(root));
}
