// The overhead loop shared by the per-feature benchmarks (middleware, observability): one server
// per variant (chosen by an environment variable), rounds interleaved in one run, server CPU
// time per request (user + system from /proc/<pid>/stat over the requests wrk completed) and
// req/s, median of the rounds, each variant against the first ('none').
import { cpuPerRequest, freePort, median, startServer, wrk } from './load.mjs';
import { markdownTable } from './report.mjs';

/**
 * Runs `variants` of `server` (the variant in env `variable`) and returns the median figures:
 * [{ variant, rps, cpuPerRequest, ratio }], ratio against variants[0].
 */
export async function measureOverhead({ server, variable, variants, rounds, duration, path = '/json', env = {} }) {
  const results = Object.fromEntries(variants.map((v) => [v, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const variant of variants) {
      const port = await freePort();
      const running = await startServer(server, { port, env: { ...env, [variable]: variant } });
      try {
        const url = `http://127.0.0.1:${port}${path}`;
        wrk(url, { duration: 2 }); // warm-up
        const cpu = cpuPerRequest(running.serverPid);
        const r = wrk(url, { duration });
        const perRequest = cpu.stop(r.requests);
        results[variant].push({ rps: r.rps, cpuPerRequest: perRequest });
        console.error(`round ${round} ${variant.padEnd(17)} ${Math.round(r.rps)} req/s, ${perRequest.toFixed(2)} µs CPU/request`);
      } finally {
        await running.stop();
      }
    }
  }
  const base = median(results[variants[0]].map((r) => r.cpuPerRequest));
  return variants.map((variant) => {
    const cpu = median(results[variant].map((r) => r.cpuPerRequest));
    return { variant, rps: median(results[variant].map((r) => r.rps)), cpuPerRequest: cpu, ratio: cpu / base, rounds: results[variant] };
  });
}

/** The figures as a markdown table: variant, req/s, CPU µs/request, ratio. */
export function overheadTable(figures, label, baseName = figures[0].variant) {
  const rows = figures.map((f) => [f.variant, Math.round(f.rps).toLocaleString('en-US'), f.cpuPerRequest.toFixed(2), `${f.ratio.toFixed(3)}×`]);
  return markdownTable([label, 'req/s', 'server CPU µs/request', `CPU vs ${baseName}`], rows, [1, 2, 3]);
}
