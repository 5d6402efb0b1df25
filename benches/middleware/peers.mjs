// The loop the middleware benchmarks share: Armature against Fastify on the same cases, rounds
// interleaved in one run, a server started per framework and round (core 0), wrk on core 1;
// req/s and the server's CPU time per request, medians, printed as one table.
import { cpuPerRequest, freePort, median, startServer, wrk } from '../lib/load.mjs';
import { markdownTable } from '../lib/report.mjs';

const FRAMEWORKS = ['armature', 'fastify'];

/**
 * `cases`: [{ name, path, script? }] (script: a wrk Lua file, e.g. a POST body);
 * `env`: extra environment of the server; `label`: the table's first column.
 */
export async function comparePeers({ title, label, serverFile, env = {}, cases, rounds, duration, connections }) {
  const results = {};
  for (let round = 1; round <= rounds; round++) {
    for (const fw of FRAMEWORKS) {
      const port = await freePort();
      const server = await startServer(serverFile, { port, env: { FRAMEWORK: fw, ...env } });
      try {
        for (const c of cases) {
          const url = `http://127.0.0.1:${port}${c.path}`;
          wrk(url, { duration: 1, connections, script: c.script }); // warm-up
          const cpu = cpuPerRequest(server.serverPid);
          const r = wrk(url, { duration, connections, script: c.script });
          const perRequest = cpu.stop(r.requests);
          if (r.non2xx > 0 || r.socketErrors) console.error(`  ${fw} ${c.name}: non-2xx ${r.non2xx} ${r.socketErrors}`);
          ((results[c.name] ??= {})[fw] ??= []).push({ rps: r.rps, cpu: perRequest });
          console.error(`round ${round} ${fw.padEnd(8)} ${c.name.padEnd(10)} ${Math.round(r.rps)} req/s, ${perRequest.toFixed(1)} µs CPU/request`);
        }
      } finally {
        await server.stop();
      }
    }
  }
  const rows = cases.map((c) => {
    const m = (fw, k) => median(results[c.name][fw].map((r) => r[k]));
    return [c.name, Math.round(m('armature', 'rps')).toLocaleString('en-US'), Math.round(m('fastify', 'rps')).toLocaleString('en-US'), m('armature', 'cpu').toFixed(1), m('fastify', 'cpu').toFixed(1), `${(m('fastify', 'cpu') / m('armature', 'cpu')).toFixed(2)}×`];
  });
  console.log(`\n${title}, median of ${rounds} rounds × ${duration} s, ${connections} connections, server on core 0, wrk on core 1 (${new Date().toISOString()}, Node ${process.version})\n`);
  console.log(markdownTable([label, 'armature req/s', 'fastify req/s', 'armature CPU µs/req', 'fastify CPU µs/req', 'Fastify CPU / Armature CPU'], rows, [1, 2, 3, 4, 5]));
}
