// examples/observability with two workers: requests spread over both, and one scrape (answered
// by either worker) carries the sum of both workers' counts; log lines name their worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startExample } from '../../core/test/example-process.js';

async function get(url: string): Promise<{ status: number; body: string }> {
  const r = await fetch(url, { headers: { connection: 'close' } }); // a new connection each time
  return { status: r.status, body: await r.text() };
}

function total(text: string, route: string, status: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`http_requests_total{method="GET",route="${route}",status="${status}"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

test('two workers: the scrape sums both workers\' metrics', { timeout: 90_000 }, async () => {
  const example = await startExample('examples/observability/main.ts', { WORKERS: '2', LOG_LEVEL: 'info' });
  try {
    const base = `http://127.0.0.1:${example.port}`;
    const workers = new Set<number>();
    for (let i = 0; i < 30; i++) {
      const r = await get(`${base}/users/7`);
      assert.equal(r.status, 200);
      workers.add(JSON.parse(r.body).worker);
    }
    for (let i = 0; i < 4; i++) assert.equal((await get(`${base}/users/99`)).status, 404);
    assert.deepEqual([...workers].sort(), [1, 2], 'both workers served');
    for (let i = 0; i < 4; i++) {
      // each scrape goes to whichever worker accepts it; every one has the whole count
      const text = (await get(`${base}/metrics`)).body;
      assert.match(text, /^# armature: metrics of 2 of 2 workers/);
      assert.equal(total(text, '/users/:id', '200'), 30);
      assert.equal(total(text, '/users/:id', '404'), 4);
      assert.match(text, /^nodejs_heap_size_used_bytes \d+/m);
    }
    const ready = await get(`${base}/health/ready`);
    assert.equal(ready.status, 200);
    assert.equal(JSON.parse(ready.body).status, 'ok');
  } finally {
    const code = await example.stop();
    example.kill();
    assert.equal(code, 0);
  }
});

test('log lines: one JSON line per request naming the worker; errors through the same logger', { timeout: 60_000 }, async () => {
  const example = await startExample('examples/observability/main.ts', { WORKERS: '2' });
  let out = '';
  let sent = 0;
  example.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const base = `http://127.0.0.1:${example.port}`;
    // new connections until both workers have answered (SO_REUSEPORT on Node 24 spreads them by
    // a hash: a handful of connections may all land on one worker)
    const answered = new Set<number>();
    while (sent < 6 || (answered.size < 2 && sent < 60)) {
      answered.add(JSON.parse((await get(`${base}/users/7`)).body).worker);
      sent++;
    }
    assert.equal((await get(`${base}/boom`)).status, 500);
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    await example.stop();
    example.kill();
  }
  const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const requests = lines.filter((l) => l.msg === 'request completed');
  assert.equal(requests.filter((l) => l.route === '/users/:id').length, sent);
  assert.deepEqual(new Set(requests.map((l) => l.worker)), new Set([1, 2]));
  const boom = requests.find((l) => l.url === '/boom');
  assert.equal(boom.level, 50);
  assert.equal(boom.err.message, 'something broke');
  assert.ok(lines.some((l) => l.msg === 'unhandled error' && l.err.message === 'something broke' && typeof l.worker === 'number'));
  assert.ok(lines.some((l) => l.msg === 'audit' && typeof l.reqId === 'string'));
});

test('profiling: with PROFILING_TOKEN, a CPU profile of the worker that answered, named after it', { timeout: 60_000 }, async () => {
  const token = 'example-token-0123456789';
  const example = await startExample('examples/observability/main.ts', { WORKERS: '2', PROFILING_TOKEN: token });
  try {
    const base = `http://127.0.0.1:${example.port}`;
    const none = await fetch(`${base}/debug/profile?seconds=0.2`, { headers: { connection: 'close' } });
    assert.equal(none.status, 401);
    await none.text();
    const seen = new Set<string>();
    for (let i = 0; i < 12 && seen.size < 2; i++) {
      const r = await fetch(`${base}/debug/profile?seconds=0.2`, { headers: { authorization: `Bearer ${token}`, connection: 'close' } });
      assert.equal(r.status, 200);
      const name = /filename="(cpu-worker(\d)-pid\d+-[^"]+\.cpuprofile)"/.exec(r.headers.get('content-disposition') ?? '');
      assert.ok(name !== null, `a worker's file name: ${r.headers.get('content-disposition')}`);
      seen.add(name[2]!);
      assert.ok(JSON.parse(await r.text()).samples.length > 0);
    }
    assert.deepEqual([...seen].sort(), ['1', '2'], 'each worker profiles itself');
  } finally {
    const code = await example.stop();
    example.kill();
    assert.equal(code, 0);
  }
});
