// h2load (nghttp2's HTTP/2 load generator, HttpArena's for its HTTP/2 profiles) pinned to core 1.
import { spawn } from 'node:child_process';
import { has } from '../../lib/load.mjs';

/** h2load's text output → the shape of load.mjs's parseWrk (h2load prints no percentiles: p50/p99 are NaN). */
export function parseH2load(text) {
  const rps = Number(/finished in [\d.]+\w*, ([\d.]+) req\/s/.exec(text)?.[1] ?? NaN);
  const m = /requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(text);
  const codes = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(text);
  const failed = m ? Number(m[4]) + Number(m[5]) + Number(m[6]) : 0;
  return {
    rps,
    requests: m ? Number(m[2]) : NaN,
    p50: NaN,
    p99: NaN,
    non2xx: codes ? Number(codes[2]) + Number(codes[3]) + Number(codes[4]) : 0,
    socketErrors: failed > 0 ? `${failed} failed/errored/timed out` : '',
  };
}

/**
 * Runs h2load: `connections` connections of `streams` concurrent streams each, one thread, for
 * `duration` s; the `uris` are requested in turn. Resolves with parseH2load's shape plus raw.
 */
export function h2load(uris, { connections = 16, streams = 100, duration = 3, headers = [] } = {}) {
  const args = ['-t', '1', '-c', String(connections), '-m', String(streams), '-D', String(duration), ...headers.flatMap((h) => ['-H', h]), ...uris];
  const argv = has('taskset') ? ['taskset', '-c', '1', 'h2load', ...args] : ['h2load', ...args];
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], timeout: (duration + 30) * 1000, killSignal: 'SIGKILL' });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.once('close', () => resolve({ ...parseH2load(out), raw: out }));
    child.once('error', (e) => resolve({ rps: NaN, requests: NaN, p50: NaN, p99: NaN, non2xx: 0, socketErrors: String(e), raw: out }));
  });
}
