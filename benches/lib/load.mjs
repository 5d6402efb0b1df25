// Shared pieces of the load benchmarks: start a server pinned to a core, run wrk pinned to the
// other, parse its figures. Everything targets 127.0.0.1 and every run is bounded in time.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;

export function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function requireWrk() {
  if (!has('wrk')) {
    console.error('wrk is not installed: apt-get update && apt-get install -y wrk');
    process.exit(2);
  }
}

const pin = (core, argv) => (has('taskset') ? ['taskset', '-c', String(core), ...argv] : argv);

function waitForPort(port, ms) {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.connect(port, '127.0.0.1');
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

/** Starts `node [nodeArgs] file` pinned to core 0; resolves once the port accepts connections. */
export async function startServer(file, { port = 8080, env = {}, nodeArgs = [] } = {}) {
  const argv = pin(0, [process.execPath, ...nodeArgs, '--import', 'tsx', file]);
  const child = spawn(argv[0], argv.slice(1), { cwd: root, env: { ...process.env, PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.resume();
  const exited = new Promise((r) => child.once('exit', r));
  await Promise.race([waitForPort(port, 15000), exited.then(() => { throw new Error(`${file} exited early`); })]);
  return {
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    },
  };
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
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

/** Runs wrk pinned to core 1; returns { rps, p50, p99, errors }. */
export function wrk(url, { connections = 100, duration = 5, depth = 1 } = {}) {
  const args = ['wrk', '-t1', `-c${connections}`, `-d${duration}s`, '--latency', url, ...(depth > 1 ? pipeline(depth) : [])];
  // the pipeline script's args come after "--"; wrk wants the URL before them
  const argv = pin(1, args);
  const out = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: (duration + 30) * 1000 });
  const text = out.stdout ?? '';
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN);
  const lat = (p) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(text);
    return m ? toMs(m[1], m[2]) : NaN;
  };
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const sockErr = /Socket errors:(.*)/.exec(text)?.[1]?.trim() ?? '';
  return { rps, p50: lat(50), p99: lat(99), non2xx, socketErrors: sockErr, raw: text };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
