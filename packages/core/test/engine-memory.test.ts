/**
 * Memory under slow clients (issue 13, "Backpressure for slow clients"): an engine in a child
 * process is attacked by clients that pipeline requests for 1 MiB answers and never read, and by
 * one that asks for a 1 GiB stream and never reads; the child's resident memory must stay within a
 * fixed budget above its level before the attack, other clients must be served meanwhile, and the
 * send timeout must close the stalled connections.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RawClient, delay, exchange } from './engine-helpers.js';

const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;
const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

const ATTACKERS = 20;
const PIPELINED = 40;
const BUDGET_MB = 250; // 20 connections × 40 MiB would be 800 MB without backpressure

test('clients that never read cannot grow the server past a fixed memory budget; others are served; the send timeout frees them', async (t) => {
  if (process.platform !== 'linux') {
    t.skip('reads /proc (Linux only)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'armature-memory-'));
  const script = join(dir, 'server.mts');
  const serverModule = new URL('../src/engine/server.ts', import.meta.url).pathname;
  writeFileSync(script, `
import { EngineServer } from ${JSON.stringify(serverModule)};
const server = new EngineServer(async (req, res) => {
  if (req.path === '/big') return res.end(Buffer.alloc(1024 * 1024, 'b')); // a new answer each time, as an app makes them
  if (req.path === '/stream') {
    const chunk = Buffer.alloc(64 * 1024, 's');
    for (let sent = 0; sent < 1024 * 1024 * 1024 && !res.finished; sent += chunk.length) if (!res.write(chunk)) await res.drained();
    if (!res.finished) res.end();
    return;
  }
  if (req.path === '/stats') return res.end(JSON.stringify({ ...server.stats, connections: server.connectionCount }));
  res.end('ok');
}, { sendTimeout: 1500, onError() {} });
const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
console.log('port ' + port);
`);
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'], cwd: new URL('../../..', import.meta.url).pathname });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.resume();
  const clients: RawClient[] = [];
  try {
    for (let i = 0; i < 1500 && !/port \d+/.test(out) && child.exitCode === null; i++) await delay(10);
    const port = Number(/port (\d+)/.exec(out)?.[1]);
    assert.ok(port > 0, 'child started');
    // warm up (code loaded and optimized, pools allocated), then the reference level
    for (let i = 0; i < 20; i++) await exchange(port, get('/big', 'Connection: close\r\n'), { waitMs: 5000 });
    await delay(200);
    const before = rssMb(child.pid!);

    for (let i = 0; i < ATTACKERS; i++) {
      const c = await RawClient.connect(port);
      c.socket.pause();
      clients.push(c);
      void c.write(get('/big').repeat(PIPELINED));
    }
    const streamer = await RawClient.connect(port);
    streamer.socket.pause();
    clients.push(streamer);
    void streamer.write(get('/stream'));

    let peak = before;
    const served: number[] = [];
    const until = Date.now() + 1200;
    while (Date.now() < until) {
      peak = Math.max(peak, rssMb(child.pid!));
      const r = await exchange(port, get('/ok', 'Connection: close\r\n'), { waitMs: 5000 });
      served.push(r.responses[0]?.status ?? 0);
      await delay(50);
    }
    peak = Math.max(peak, rssMb(child.pid!));
    t.diagnostic(`server RSS ${Math.round(before)} MB before, peak ${Math.round(peak)} MB under ${ATTACKERS} × ${PIPELINED} pipelined 1 MiB answers and a 1 GiB stream, none read`);
    assert.ok(served.length > 0 && served.every((s) => s === 200), `other clients served: ${served.join(',')}`);
    assert.ok(peak - before < BUDGET_MB, `RSS grew ${Math.round(peak - before)} MB (from ${Math.round(before)} MB); budget ${BUDGET_MB} MB`);

    // the stalled connections are closed by the send timeout
    let stats: { sendTimeouts: number; connections: number } = { sendTimeouts: 0, connections: -1 };
    for (let i = 0; i < 100 && stats.sendTimeouts < ATTACKERS + 1; i++) {
      await delay(100);
      stats = JSON.parse((await exchange(port, get('/stats', 'Connection: close\r\n'), { waitMs: 5000 })).responses[0]!.text) as typeof stats;
    }
    assert.equal(stats.sendTimeouts, ATTACKERS + 1, 'every client that stopped reading was closed');
  } finally {
    for (const c of clients) c.destroy();
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
