#!/usr/bin/env node
// Connections under pressure (issue 13), bounded in time, 127.0.0.1 only:
//  1. memory per idle keep-alive connection: N connections (10,000) each make one request and
//     stay open; the server's RSS above its level before, divided by N (Armature and node:http),
//     twice: the first wave (V8's young generation may grow meanwhile), the second after the
//     first has closed; on a fresh server, and on one that has served 3 s of wrk load first (a
//     server in service: its heap has already been sized by traffic);
//  2. the empty-line attack: N connections that each send an empty line every 2 s (about 7 KB/s
//     in all) while a well-behaved client makes requests: how many it gets answered, and the
//     engine's counters (culled, refused);
//  3. slow and non-reading clients: well-behaved throughput (wrk, 50 connections, pinned to core
//     1; server on core 0) alone and while 1,000 slowloris clients (a head that never ends, one
//     more field line a second, reconnecting when closed) and 100 clients that pipeline requests
//     for 1 MiB answers and never read attack; rounds alternate, the ratio is attacked ÷ alone in
//     the same round (target ≥ 0.8), with the server's peak RSS during the attack.
//   npm run build && node benches/connections.mjs
//   env: CONNECTIONS=10000 ATTACK_SECONDS=15 SLOWLORIS=1000 NON_READING=100 ROUNDS=3 DURATION=5
//        PARTS=idle,empty-line,slow-clients (which parts to run) SERVERS=armature,node-http
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuPerRequest, envList, envNumber, freePort, has, load, median, probe, requireWrk, root, rssSampler, startServer } from './lib/load.mjs';

const N = envNumber('CONNECTIONS', 10_000);
const ATTACK_SECONDS = envNumber('ATTACK_SECONDS', 15);
const SLOWLORIS = envNumber('SLOWLORIS', 1000);
const NON_READING = envNumber('NON_READING', 100);
const ROUNDS = envNumber('ROUNDS', 3);
const DURATION = envNumber('DURATION', 5);
const PARTS = envList('PARTS', ['idle', 'empty-line', 'slow-clients']);
const SERVERS = envList('SERVERS', ['armature', 'node-http']);
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

async function idleMemory(server, served) {
  const port = await freePort();
  // a limit above N: this measures memory, not culling above the soft limit
  const s = await startServer(join(root, 'benches/connections/server.ts'), { port, env: { SERVER: server, MAX_CONNECTIONS: String(2 * N) } });
  try {
    for (let i = 0; i < 200; i++) await probe(port, '/');
    if (served) await load('wrk', `http://127.0.0.1:${port}/`, { duration: 3, connections: 100 });
    await sleep(500);
    // two waves: the first also pays for V8's young generation growing to its maximum (the
    // first burst of long-lived objects does that, whatever they are); the second, after the
    // first wave has closed, shows what the connections themselves hold
    const waves = [];
    for (let wave = 0; wave < 2; wave++) {
      const before = rssKb(s.serverPid);
      const sockets = await openMany(port, N, (sock) => sock.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
      await sleep(2000);
      const open = sockets.filter((x) => !x.destroyed).length;
      const after = rssKb(s.serverPid);
      for (const x of sockets) x.destroy();
      waves.push({ open, beforeMb: Math.round(before / 1024), afterMb: Math.round(after / 1024), perConnectionKb: Math.round(((after - before) / open) * 100) / 100 });
      await sleep(3000);
    }
    return { server, waves };
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

/**
 * Starts the attack of part 3: SLOWLORIS connections that send a head that never ends (one more
 * field line about every second; a closed one reconnects) and NON_READING connections that
 * pipeline requests for 1 MiB answers and never read (one more request a second). stop() closes
 * them all and says how many were open and how often slowloris clients had to reconnect.
 */
function startSlowClients(port) {
  const slow = new Set();
  let reconnects = 0;
  let stopped = false;
  const openSlow = () => {
    if (stopped) return;
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.once('connect', () => s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
    s.on('data', () => {}); // a 408 or 503, read and dropped
    slow.add(s);
    s.once('close', () => {
      slow.delete(s);
      if (!stopped) {
        reconnects++;
        setTimeout(openSlow, 100);
      }
    });
  };
  const nonReading = new Set();
  const openNonReading = () => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.once('connect', () => {
      s.pause(); // never read: the kernel's buffers fill, then the server's budget
      s.write('GET /large HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'.repeat(16));
    });
    nonReading.add(s);
    s.once('close', () => nonReading.delete(s));
  };
  let opened = 0;
  const opener = setInterval(() => {
    // 200 new connections every 20 ms until all are open
    for (let i = 0; i < 200 && opened < SLOWLORIS + NON_READING; i++, opened++) {
      if (opened < NON_READING) openNonReading();
      else openSlow();
    }
  }, 20);
  const drip = setInterval(() => {
    for (const s of slow) if (s.writable && Math.random() < 0.5) s.write('X-Slow: 1\r\n');
    for (const s of nonReading) if (s.writable) s.write('GET /large HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  }, 500);
  return {
    stop() {
      stopped = true;
      clearInterval(opener);
      clearInterval(drip);
      const open = { slowloris: slow.size, nonReading: nonReading.size, reconnects };
      for (const s of [...slow, ...nonReading]) s.destroy();
      return open;
    },
  };
}

async function slowClients(server) {
  const port = await freePort();
  const s = await startServer(join(root, 'benches/connections/server.ts'), { port, env: { SERVER: server } });
  const url = `http://127.0.0.1:${port}/`;
  const runs = [];
  try {
    await load('wrk', url, { duration: 2, connections: 50 }); // warm-up
    for (let round = 1; round <= ROUNDS; round++) {
      let cpu = cpuPerRequest(s.serverPid);
      const alone = await load('wrk', url, { duration: DURATION, connections: 50 });
      const aloneCpu = cpu.stop(alone.requests);
      const attack = startSlowClients(port);
      await sleep(1500); // the attackers connect and fill their buffers
      const rss = rssSampler(s.serverPid);
      cpu = cpuPerRequest(s.serverPid);
      const attacked = await load('wrk', url, { duration: DURATION, connections: 50 });
      const attackedCpu = cpu.stop(attacked.requests);
      const peakMb = rss.stop() / 1024;
      const open = attack.stop();
      await sleep(1000); // the attackers' connections close
      const r = { alone: alone.rps, attacked: attacked.rps, ratio: attacked.rps / alone.rps, cpuRatio: attackedCpu / aloneCpu, peakMb, errors: `${attacked.non2xx ? `${attacked.non2xx} non-2xx ` : ''}${attacked.socketErrors}`, ...open };
      runs.push(r);
      console.error(`  round ${round} ${server}: alone ${Math.round(r.alone)} req/s, attacked ${Math.round(r.attacked)} req/s (${r.ratio.toFixed(2)}), server CPU per well-behaved request ${aloneCpu.toFixed(1)} → ${attackedCpu.toFixed(1)} µs (${r.cpuRatio.toFixed(2)}×, the attack's own work included), peak RSS ${Math.round(peakMb)} MB, open at the end ${open.slowloris} slowloris + ${open.nonReading} non-reading, ${open.reconnects} slowloris reconnects ${r.errors}`);
    }
  } finally {
    await s.stop();
  }
  return { server, cpuRatio: median(runs.map((r) => r.cpuRatio)), ratio: median(runs.map((r) => r.ratio)), alone: median(runs.map((r) => r.alone)), attacked: median(runs.map((r) => r.attacked)), peakMb: Math.max(...runs.map((r) => r.peakMb)), runs };
}

console.log(`bench:connections, Node ${process.version}, ${new Date().toISOString()}`);
if (PARTS.includes('idle')) {
  for (const served of [false, true]) {
    for (const server of SERVERS) {
      const r = await idleMemory(server, served);
      for (const [i, w] of r.waves.entries()) {
        console.log(`idle keep-alive, ${served ? 'server after 3 s of load' : 'fresh server'}, ${i === 0 ? 'first wave ' : 'second wave'}: ${r.server.padEnd(9)} ${w.open} open, RSS ${w.beforeMb} → ${w.afterMb} MB: ${w.perConnectionKb} KiB per connection`);
      }
    }
  }
}
if (PARTS.includes('empty-line')) {
  const attack = await emptyLineAttack();
  console.log(`empty-line attack (${N} connections, one empty line each every 2 s, ${ATTACK_SECONDS} s): well-behaved client's answers ${JSON.stringify(attack.statuses)}; engine: culled ${attack.stats.culled}, refused ${attack.stats.refused}, open at the end ${attack.stats.connections}`);
}
if (PARTS.includes('slow-clients')) {
  requireWrk();
  // the attackers run in this process: on wrk's core, not the server's
  if (has('taskset')) spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  for (const server of SERVERS) {
    const r = await slowClients(server);
    console.log(`slow clients (${SLOWLORIS} slowloris + ${NON_READING} non-reading, median of ${ROUNDS} rounds × ${DURATION} s): ${server.padEnd(9)} well-behaved ${Math.round(r.alone)} req/s alone, ${Math.round(r.attacked)} attacked: ${r.ratio.toFixed(2)} of normal (rounds ${r.runs.map((x) => x.ratio.toFixed(2)).join(', ')}); server CPU per well-behaved request ${r.cpuRatio.toFixed(2)}× alone; peak RSS during the attack ${Math.round(r.peakMb)} MB`);
  }
}
process.exit(0);
