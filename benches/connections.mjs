#!/usr/bin/env node
// Connections under pressure (issue 13), bounded in time, 127.0.0.1 only:
//  1. memory per idle keep-alive connection: N connections (10,000) each make one request and
//     stay open; the server's RSS above its level before, divided by N (Armature and node:http);
//  2. the empty-line attack: N connections that each send an empty line every 2 s (about 7 KB/s
//     in all) while a well-behaved client makes requests: how many it gets answered, and the
//     engine's counters (culled, refused).
//   npm run build && node benches/connections.mjs        env: CONNECTIONS=10000 ATTACK_SECONDS=15
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envNumber, freePort, probe, root, startServer } from './lib/load.mjs';

const N = envNumber('CONNECTIONS', 10_000);
const ATTACK_SECONDS = envNumber('ATTACK_SECONDS', 15);
const rssKb = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Opens `n` connections (at most 200 connecting at once); `onOpen(socket)` runs for each. */
async function openMany(port, n, onOpen) {
  const sockets = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      await new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.on('error', () => {});
        s.once('connect', () => { sockets.push(s); onOpen(s); resolve(); });
        s.once('close', resolve);
      });
    }
  };
  await Promise.all(Array.from({ length: 200 }, worker));
  return sockets;
}

async function idleMemory(server) {
  const port = await freePort();
  // a limit above N: this measures memory, not culling above the soft limit
  const s = await startServer(join(root, 'benches/connections/server.ts'), { port, env: { SERVER: server, MAX_CONNECTIONS: String(2 * N) } });
  try {
    for (let i = 0; i < 200; i++) await probe(port, '/');
    await sleep(500);
    const before = rssKb(s.serverPid);
    const sockets = await openMany(port, N, (sock) => sock.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
    await sleep(2000);
    const open = sockets.filter((x) => !x.destroyed).length;
    const after = rssKb(s.serverPid);
    for (const x of sockets) x.destroy();
    return { server, open, beforeMb: Math.round(before / 1024), afterMb: Math.round(after / 1024), perConnectionKb: Math.round(((after - before) / open) * 100) / 100 };
  } finally {
    await s.stop();
  }
}

async function emptyLineAttack() {
  const port = await freePort();
  const s = await startServer(join(root, 'benches/connections/server.ts'), { port });
  try {
    const attackers = await openMany(port, N, () => {});
    const timer = setInterval(() => { for (const a of attackers) if (!a.destroyed) a.write('\r\n'); }, 2000);
    const statuses = {};
    const until = Date.now() + ATTACK_SECONDS * 1000;
    // attackers that were closed come back, as a real attack would
    const refill = setInterval(async () => {
      const missing = attackers.filter((a) => a.destroyed).length;
      for (let i = attackers.length - 1; i >= 0; i--) if (attackers[i].destroyed) attackers.splice(i, 1);
      attackers.push(...(await openMany(port, Math.min(missing, 2000), () => {})));
    }, 1000);
    while (Date.now() < until) {
      const code = await probe(port, '/', 5000);
      statuses[code] = (statuses[code] ?? 0) + 1;
      await sleep(100);
    }
    clearInterval(timer);
    clearInterval(refill);
    const stats = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => c.end('GET /stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      let text = '';
      c.on('data', (d) => { text += d; });
      c.on('close', () => resolve(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4) || '{}')));
      c.on('error', () => resolve({}));
    });
    for (const a of attackers) a.destroy();
    return { statuses, stats };
  } finally {
    await s.stop();
  }
}

console.log(`bench:connections, ${N} connections, Node ${process.version}, ${new Date().toISOString()}`);
for (const server of ['armature', 'node-http']) {
  const r = await idleMemory(server);
  console.log(`idle keep-alive: ${r.server.padEnd(9)} ${r.open} open, RSS ${r.beforeMb} → ${r.afterMb} MB: ${r.perConnectionKb} KiB per connection`);
}
const attack = await emptyLineAttack();
console.log(`empty-line attack (${N} connections, one empty line each every 2 s, ${ATTACK_SECONDS} s): well-behaved client's answers ${JSON.stringify(attack.statuses)}; engine: culled ${attack.stats.culled}, refused ${attack.stats.refused}, open at the end ${attack.stats.connections}`);
process.exit(0);
