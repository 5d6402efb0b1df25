// Shared pieces of the load benchmarks: start a server pinned to core 0, load it with wrk (or
// autocannon when wrk is absent) pinned to core 1, parse the figures, sample the server's memory,
// run interleaved rounds. Everything targets 127.0.0.1 and every run is bounded in time.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import http from 'node:http';
import net from 'node:net';
import { writeFileSync, mkdtempSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;
const HOST = '127.0.0.1';

/** DATABASE_URL, or the local default (benches/database/db.ts has the same default). */
export const databaseUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

const WRK_HINT = 'wrk is not installed: apt-get update && apt-get install -y wrk';

export function requireWrk() {
  if (!has('wrk')) {
    console.error(WRK_HINT);
    process.exit(2);
  }
}

/** The load generator to use: LOAD_TOOL if set, else wrk when installed, else autocannon (with a hint). */
export function loadTool() {
  const forced = process.env.LOAD_TOOL;
  if (forced === 'wrk' || forced === 'autocannon') return forced;
  if (forced) throw new Error(`LOAD_TOOL must be wrk or autocannon, not "${forced}"`);
  if (has('wrk')) return 'wrk';
  console.error(`${WRK_HINT}\nfalling back to autocannon (figures are not comparable with wrk's)`);
  return 'autocannon';
}

const pin = (core, argv) => (has('taskset') ? ['taskset', '-c', String(core), ...argv] : argv);

function waitForPort(port, ms) {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.connect(port, HOST);
      s.once('connect', () => { s.destroy(); resolve(); });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > until) reject(new Error(`server did not listen on ${port} within ${ms} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** A port on 127.0.0.1 that nothing listens on now: `preferred` if free, else one the OS picks. */
export async function freePort(preferred = 0) {
  const tryListen = (p) => new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(null));
    s.listen(p, HOST, () => {
      const got = s.address().port;
      s.close(() => resolve(got));
    });
  });
  return (preferred && (await tryListen(preferred))) || tryListen(0);
}

/** Every process's name, parent pid and CPU time so far (user + system, clock ticks), from /proc/<pid>/stat (Linux). */
export function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // after "pid (comm) ": state ppid … utime stime (fields 3, 4, 14 and 15 of proc(5))
      const close = stat.lastIndexOf(')');
      const f = stat.slice(close + 2).split(' ');
      table.set(Number(name), { comm: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch { /* the process ended meanwhile */ }
  }
  return table;
}

export function descendants(pid, table) {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    for (const [p, { ppid }] of table) if (ppid === pids[i]) pids.push(p);
  }
  return pids;
}

/** `pid` and its descendants, parents before children. */
export const processTree = (pid) => descendants(pid, processTable());

/**
 * Measures how much CPU other processes (not this one nor its descendants: servers, wrk; nor
 * those named in `partOfTest`, e.g. the database) use until stop(), which returns it in cores
 * (1 = one core fully busy on average). Processes that both start and end in between are not
 * seen. 100 clock ticks a second (Linux's USER_HZ).
 */
export function otherCpu(partOfTest = []) {
  const t0 = Date.now();
  const before = processTable();
  return {
    stop() {
      const after = processTable();
      const ours = new Set([...descendants(process.pid, before), ...descendants(process.pid, after)]);
      let ticks = 0;
      for (const [pid, { comm, ticks: t }] of after) {
        if (!ours.has(pid) && !partOfTest.includes(comm)) ticks += t - (before.get(pid)?.ticks ?? 0);
      }
      return Math.round((ticks / 100 / ((Date.now() - t0) / 1000)) * 100) / 100;
    },
  };
}

/** CPU time (user + system, clock ticks of 10 ms) process `pid` has used so far, from /proc/<pid>/stat; NaN when unreadable. */
export function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch { return NaN; }
}

/**
 * Measures the CPU time process `pid` uses until stop(requests), which returns it per request in
 * µs (the server's own cost, whatever the load generator's cap on req/s).
 */
export function cpuPerRequest(pid) {
  const before = cpuTicks(pid);
  return { stop: (requests) => (requests > 0 ? ((cpuTicks(pid) - before) * 10_000) / requests : NaN) };
}

/**
 * The sockets of 127.0.0.1:port in TCP state `state` (/proc/net/tcp: '0A' listening, '01'
 * established), as the `socket:[inode]` names a process's file descriptors link to.
 */
export function localSockets(port, state) {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const sockets = new Set();
  try {
    for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f[1] === local && f[3] === state) sockets.add(`socket:[${f[9]}]`);
    }
  } catch { /* not Linux */ }
  return sockets;
}

/** How many of `sockets` (see localSockets) process `pid` holds open. */
export function socketsHeld(pid, sockets) {
  let n = 0;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try { if (sockets.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) n++; } catch { /* closed meanwhile */ }
    }
  } catch { /* gone */ }
  return n;
}

/** Which of `pids` holds the socket listening on 127.0.0.1:port (from /proc/net/tcp); undefined if none. */
export function listenerPid(port, pids) {
  const listening = localSockets(port, '0A');
  if (listening.size === 0) return undefined;
  return pids.find((p) => socketsHeld(p, listening) > 0);
}

/** SIGKILL to each of `pids`, children first. */
function killAll(pids) {
  for (const p of pids.toReversed()) {
    try { process.kill(p, 'SIGKILL'); } catch { /* already gone */ }
  }
}

// If this process is interrupted, its servers and load generators go with it: none is left behind.
let cleanupInstalled = false;
function killChildrenOnSignals() {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
    process.once(signal, () => {
      killAll(processTree(process.pid).slice(1));
      process.exit(code);
    });
  }
}

/**
 * Starts `node [nodeArgs] file` (through tsx for .ts files) pinned to `cores` ('0'); resolves once the
 * port accepts connections. `serverPid` is the process that listens on the port (a launcher
 * such as scripts/tfb.mjs starts the app as its child; tsx may start an esbuild helper).
 */
export async function startServer(file, { port = 8080, env = {}, nodeArgs = [], cores = '0' } = {}) {
  const loader = file.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const argv = pin(cores, [process.execPath, ...nodeArgs, ...loader, file]);
  const child = spawn(argv[0], argv.slice(1), { cwd: root, env: { ...process.env, HOST, PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout.resume();
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-2000); });
  let running = true;
  killChildrenOnSignals();
  const exited = new Promise((r) => child.once('exit', () => { running = false; r(); }));
  // the last line that says what went wrong (not a stack frame, not Node's version line)
  const reason = () => stderr.split('\n').filter((l) => l.trim() && !/^\s+at |^Node\.js v/.test(l)).at(-1)?.trim() ?? '';
  const early = exited.then(() => { throw new Error(`${file} exited early: ${reason()}`); });
  early.catch(() => {});
  try {
    await Promise.race([waitForPort(port, 20000), early]);
  } catch (e) {
    killAll(processTree(child.pid));
    throw e;
  }
  const tree = processTree(child.pid);
  const listener = listenerPid(port, tree) ?? child.pid;
  return {
    pid: child.pid,
    serverPid: listener,
    alive: () => running,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM'); // a launcher forwards it to the app and exits with it
      // the apps close gracefully within 5 s; after 6 s the whole tree is killed
      const t = setTimeout(() => killAll(tree), 6000);
      await exited;
      clearTimeout(t);
    },
  };
}

function statusKb(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch { return NaN; }
}

/**
 * Samples the resident memory of process `pid` every `everyMs` until stop(), which returns the
 * peak in kB. The kernel's own high-water mark (VmHWM) is reset at the start (clear_refs 5) and
 * read at the end, so a peak between two samples is not missed.
 */
export function rssSampler(pid, everyMs = 100) {
  let hwmReset = true;
  try { writeFileSync(`/proc/${pid}/clear_refs`, '5'); } catch { hwmReset = false; }
  let peak = statusKb(pid, 'VmRSS');
  const timer = setInterval(() => { peak = Math.max(peak, statusKb(pid, 'VmRSS')); }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, statusKb(pid, 'VmRSS'));
      return hwmReset ? Math.max(peak, statusKb(pid, 'VmHWM')) : peak;
    },
  };
}

/** Runs argv; resolves with its stdout (killed after timeoutMs). */
function capture(argv, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.once('close', (code) => resolve({ out, err, code }));
    child.once('error', (e) => resolve({ out, err: String(e), code: -1 }));
  });
}

let pipelineScript;
function pipeline(depth) {
  if (!pipelineScript) {
    const dir = mkdtempSync(join(tmpdir(), 'armature-wrk-'));
    pipelineScript = join(dir, 'pipeline.lua');
    writeFileSync(pipelineScript, `init = function(args)
  local depth = tonumber(args[1]) or 16
  local r = {}
  for i = 1, depth do r[i] = wrk.format(nil) end
  req = table.concat(r)
end
request = function() return req end
`);
  }
  return ['-s', pipelineScript, '--', String(depth)];
}

function toMs(v, unit) {
  const n = Number(v);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : unit === 'm' ? n * 60000 : n;
}

/** wrk's text output (run with --latency) → { rps, requests, p50, p99 (ms), non2xx, socketErrors }. */
export function parseWrk(text) {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN);
  const requests = Number(/(\d+) requests in /.exec(text)?.[1] ?? NaN);
  const lat = (p) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s|m)\\b`).exec(text);
    const ms = m ? toMs(m[1], m[2]) : NaN;
    return ms > 0 ? ms : NaN; // wrk sometimes prints 0.00us for a percentile it lost
  };
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const socketErrors = /Socket errors:(.*)/.exec(text)?.[1]?.trim() ?? '';
  return { rps, requests, p50: lat(50), p99: lat(99), non2xx, socketErrors };
}

/** autocannon's --json output → the same shape as parseWrk. */
export function parseAutocannon(text) {
  const j = JSON.parse(text);
  const errors = [j.errors && `errors ${j.errors}`, j.timeouts && `timeouts ${j.timeouts}`, j.resets && `resets ${j.resets}`].filter(Boolean).join(', ');
  return { rps: j.requests.total / j.duration, requests: j.requests.total, p50: j.latency.p50, p99: j.latency.p99, non2xx: j.non2xx ?? 0, socketErrors: errors };
}

/** `script`: a Lua file of the caller's (e.g. a POST body); `depth` > 1 uses the pipelining script instead. */
const wrkArgv = (url, { connections = 100, duration = 5, depth = 1, script } = {}) =>
  // the pipeline script's args come after "--"; wrk wants the URL before them
  pin(1, ['wrk', '-t1', `-c${connections}`, `-d${duration}s`, '--timeout', '10s', '--latency', ...(script !== undefined && depth <= 1 ? ['-s', script] : []), url, ...(depth > 1 ? pipeline(depth) : [])]);

/** Runs wrk pinned to core 1, blocking; returns { rps, p50, p99, non2xx, socketErrors, raw }. */
export function wrk(url, options = {}) {
  const argv = wrkArgv(url, options);
  const out = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: ((options.duration ?? 5) + 30) * 1000 }).stdout ?? '';
  return { ...parseWrk(out), raw: out };
}

let autocannonCli;
function autocannonArgv(url, { connections = 100, duration = 5, depth = 1 } = {}) {
  autocannonCli ??= createRequire(join(root, 'package.json')).resolve('autocannon');
  return pin(1, [process.execPath, autocannonCli, '-c', String(connections), '-d', String(duration), '-p', String(depth), '-t', '10', '-n', '-j', url]);
}

/**
 * Loads `url` with `tool` ('wrk', or 'autocannon': the devDependency, one process) pinned to core 1
 * without blocking (the caller may sample meanwhile); resolves with the same shape as wrk().
 */
export async function load(tool, url, options = {}) {
  const argv = tool === 'autocannon' ? autocannonArgv(url, options) : wrkArgv(url, options);
  const { out, err } = await capture(argv, ((options.duration ?? 5) + 30) * 1000);
  try {
    return { ...(tool === 'autocannon' ? parseAutocannon(out) : parseWrk(out)), raw: out };
  } catch {
    return { rps: NaN, p50: NaN, p99: NaN, non2xx: 0, socketErrors: `${tool} failed: ${err.trim().split('\n').at(-1)}`, raw: out + err };
  }
}

/** One GET to 127.0.0.1:port/path; resolves with the status code, or an error text. */
export function probe(port, path, timeoutMs = 5000) {
  return new Promise((resolve) => {
    const req = http.get({ host: HOST, port, path, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode));
    });
    req.once('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.once('error', (e) => resolve(e.message));
  });
}

function cpuTimes() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { idle: f[3] + (f[4] ?? 0), total: f.reduce((x, y) => x + y, 0) };
}

/** Fraction (0..1) of all cores' time spent busy during the next `ms` (from /proc/stat). */
export async function cpuBusy(ms = 2000) {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuTimes();
  return b.total > a.total ? 1 - (b.idle - a.idle) / (b.total - a.total) : 0;
}

/** Starts a TechEmpower app by name through scripts/tfb.mjs, the entry of `FRAMEWORK=<name> npm run tfb`. */
export const startFramework = (fw, port) => startServer(join(root, 'scripts/tfb.mjs'), { port, env: { FRAMEWORK: fw } });

/** A positive number from the environment, or `fallback`. */
export function envNumber(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!(n >= 0) || !Number.isFinite(n)) throw new Error(`${name} must be a number ≥ 0, not "${raw}"`);
  return n;
}

/** A comma-separated list from the environment, or `fallback`. */
export const envList = (name, fallback) => (process.env[name] ? process.env[name].split(',').map((s) => s.trim()).filter(Boolean) : fallback);

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Interleaved rounds: each round starts every framework in turn (the order rotates from round to
 * round), probes each test once per framework (a test answered with anything but 2xx is "n/a"),
 * warms the served tests up and measures them, then stops the server.
 *   start(fw, port) → a startServer handle; tests: [{ name, path, depth, db }] (db: PostgreSQL's
 *   processes count as part of the test, not as a disturbance)
 * Resolves with { runs: { [test]: { [fw]: [result…] } }, status: { [fw]: { [test]: 'ok' | reason } },
 * unavailable: { [fw]: reason } }; a result is a load() result plus `rssKb`, `cpuUs` (the server's
 * CPU time per request, µs), `otherCores` (see otherCpu) and `round`.
 */
export async function measureRounds({ frameworks, tests, rounds, duration, warmup, connections = 100, tool, port, start, log = console.error }) {
  const runs = {};
  const status = {};
  const unavailable = {};
  for (let round = 1; round <= rounds; round++) {
    const shift = (round - 1) % frameworks.length;
    for (const fw of [...frameworks.slice(shift), ...frameworks.slice(0, shift)]) {
      if (unavailable[fw]) continue;
      let server;
      try {
        server = await start(fw, port);
      } catch (e) {
        unavailable[fw] = e.message;
        log(`${fw}: not available (${e.message})`);
        continue;
      }
      try {
        const served = (status[fw] ??= {});
        for (const t of tests) {
          if (served[t.name] === undefined) {
            const code = await probe(port, t.path);
            served[t.name] = typeof code === 'number' && code >= 200 && code < 300 ? 'ok' : code === 404 ? 'n/a' : `n/a (${code})`;
          }
          if (served[t.name] !== 'ok') continue;
          if (!server.alive()) {
            served[t.name] = 'server exited';
            continue;
          }
          const url = `http://${HOST}:${port}${t.path}`;
          const options = { connections, depth: t.depth };
          if (warmup > 0) await load(tool, url, { ...options, duration: warmup });
          const sampler = rssSampler(server.serverPid);
          const others = otherCpu(t.db ? ['postgres'] : []);
          const cpu = cpuPerRequest(server.serverPid);
          const r = await load(tool, url, { ...options, duration });
          r.cpuUs = cpu.stop(r.requests);
          r.rssKb = sampler.stop();
          r.otherCores = others.stop();
          r.round = round;
          ((runs[t.name] ??= {})[fw] ??= []).push(r);
          const trouble = [
            (r.non2xx > 0 || r.socketErrors) && `non-2xx ${r.non2xx}${r.socketErrors ? `, ${r.socketErrors}` : ''}`,
            r.otherCores >= 0.1 && `other processes used ${r.otherCores} cores`,
          ].filter(Boolean).map((x) => `  (${x})`).join('');
          log(`round ${round} ${fw.padEnd(12)} ${t.name.padEnd(24)} ${Math.round(r.rps).toString().padStart(9)} req/s ${r.cpuUs.toFixed(2).padStart(7)} µs CPU/req${trouble}`);
          if (!(r.rps > 0)) log(r.raw.trim().split('\n').slice(-12).join('\n'));
        }
      } finally {
        await server.stop();
      }
    }
  }
  return { runs, status, unavailable };
}
