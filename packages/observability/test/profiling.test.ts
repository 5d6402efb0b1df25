// Profiling in production: a real server profiled for a second under load (a valid .cpuprofile in
// which the busy handler shows), its flame graph, a heap snapshot streamed, authentication (401,
// 403, authorize), bounds (400, 409 while busy, the profiler freed when the client leaves), the
// DI module, and the signal that writes a profile to a directory.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, Armature, Module, type App } from '@armature/core';
import { createProfiling, profileOnSignal, profilerBusy } from '@armature/observability/profiling';
import { ProfilingModule } from '@armature/observability/modules';

const TOKEN = 'test-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };

/** Busy work with a name to find in the profile. */
function burnCpuForProfileTest(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x * 31 + i) % 1_000_003;
  return x;
}

const apps: App[] = [];
after(async () => {
  for (const app of apps) await app.close();
});

async function serve(options: Parameters<typeof createProfiling>[0] = { token: TOKEN }): Promise<string> {
  const app = createApp();
  app.use(createProfiling(options).middleware);
  app.get('/work', () => ({ x: burnCpuForProfileTest(200_000) }));
  app.get('/ping', () => 'pong');
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  apps.push(app);
  return `http://127.0.0.1:${address.port}`;
}

/** Requests /work back to back until `until` settles; resolves to the number answered. */
async function load(base: string, until: Promise<unknown>): Promise<number> {
  let done = false;
  void until.finally(() => (done = true)).catch(() => {});
  let answered = 0;
  while (!done) {
    const r = await fetch(`${base}/work`);
    if (r.status === 200) answered++;
    await r.arrayBuffer();
  }
  return answered;
}

async function waitFree(): Promise<void> {
  for (let i = 0; i < 400 && profilerBusy(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(profilerBusy(), false, 'the profiler is free again');
}

test('registering without a token or authorize throws; so does a short token', () => {
  assert.throws(() => createProfiling({}), /token.*authorize|never open/);
  assert.throws(() => createProfiling({ token: undefined }), /never open/);
  assert.throws(() => createProfiling({ token: 'short' }), /at least 16/);
  assert.throws(() => createProfiling({ token: TOKEN, maxSeconds: 0 }), /maxSeconds/);
  assert.throws(() => createProfiling({ token: TOKEN, samplingInterval: 0.5 }), /samplingInterval/);
  assert.throws(() => ProfilingModule.forRoot({}), /never open/);
});

test('a 1 s CPU profile under load: V8 JSON in which the handler was sampled; the server serves meanwhile', { timeout: 30_000 }, async () => {
  const base = await serve();
  const started = Date.now();
  const profile = fetch(`${base}/debug/profile?seconds=1`, { headers: auth });
  const [response, answered] = await Promise.all([profile, load(base, profile.then((r) => r.clone().arrayBuffer()))]);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type')!, /^application\/json/);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const disposition = response.headers.get('content-disposition')!;
  assert.match(disposition, new RegExp(`^attachment; filename="cpu-pid${process.pid}-\\d{4}-\\d\\d-\\d\\dT[\\d-]+Z\\.cpuprofile"$`));
  const body = JSON.parse(await response.text());
  assert.ok(Date.now() - started >= 1000, 'it lasted the second asked for');
  assert.ok(Array.isArray(body.nodes) && body.nodes.length > 0);
  assert.ok(Array.isArray(body.samples) && body.samples.length > 0);
  assert.ok(Array.isArray(body.timeDeltas));
  assert.equal(typeof body.startTime, 'number');
  assert.ok(body.endTime - body.startTime >= 900_000, `a profile of about a second (${body.endTime - body.startTime} µs)`);
  const burn = body.nodes.filter((n: any) => n.callFrame.functionName === 'burnCpuForProfileTest');
  assert.ok(burn.length > 0, 'the handler is in the call tree');
  const ids = new Set(burn.map((n: any) => n.id));
  const hits = body.samples.filter((id: number) => ids.has(id)).length;
  assert.ok(hits > 0, 'and was on top of the stack in some samples');
  assert.ok(answered >= 3, `the server answered ${answered} /work requests during the profile`);
  await waitFree();
});

test('format=svg: the profile as a flame graph', { timeout: 30_000 }, async () => {
  const base = await serve();
  const profile = fetch(`${base}/debug/profile?seconds=0.5&format=svg`, { headers: auth });
  const [response] = await Promise.all([profile, load(base, profile.then((r) => r.clone().arrayBuffer()))]);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type')!, /^image\/svg\+xml/);
  assert.match(response.headers.get('content-disposition')!, /^inline; filename="cpu-pid\d+-.*\.svg"$/);
  const svg = await response.text();
  assert.match(svg, /^<\?xml [^>]*\?>\n+<svg /);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.match(svg, /burnCpuForProfileTest/);
  assert.match(svg, new RegExp(`pid ${process.pid}`));
  await waitFree();
});

test('heap snapshot: streamed .heapsnapshot JSON; the profiler is free afterwards', { timeout: 120_000 }, async () => {
  const base = await serve();
  const response = await fetch(`${base}/debug/heap-snapshot`, { headers: auth });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-length'), null, 'streamed, not sent in one piece');
  assert.match(response.headers.get('content-disposition')!, /^attachment; filename="heap-pid\d+-.*\.heapsnapshot"$/);
  const snapshot = JSON.parse(await response.text());
  assert.ok(snapshot.snapshot?.meta?.node_fields, 'snapshot.meta');
  assert.ok(Array.isArray(snapshot.nodes) && snapshot.nodes.length > 0, 'nodes');
  assert.ok(Array.isArray(snapshot.strings));
  await waitFree();
  const again = await fetch(`${base}/debug/profile?seconds=0.1`, { headers: auth });
  assert.equal(again.status, 200);
  await again.text();
});

test('authentication: no token 401 (with WWW-Authenticate), a wrong one 403; authorize() decides', async () => {
  const base = await serve();
  for (const path of ['/debug/profile?seconds=1', '/debug/heap-snapshot']) {
    const none = await fetch(`${base}${path}`);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="profiling"');
    await none.text();
    const basic = await fetch(`${base}${path}`, { headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` } });
    assert.equal(basic.status, 401);
    await basic.text();
    const wrong = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    assert.equal(wrong.status, 403);
    await wrong.text();
    const prefix = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` } });
    assert.equal(prefix.status, 403);
    await prefix.text();
  }
  // unauthenticated requests learn nothing about the parameters
  const bad = await fetch(`${base}/debug/profile?seconds=abc`);
  assert.equal(bad.status, 401);
  await bad.text();

  const seen: string[] = [];
  const gated = await serve({
    authorize: (ctx) => {
      seen.push(ctx.path);
      return ctx.get('x-role') === 'ops';
    },
  });
  const denied = await fetch(`${gated}/debug/profile?seconds=0.1`);
  assert.equal(denied.status, 403);
  await denied.text();
  const allowed = await fetch(`${gated}/debug/profile?seconds=0.1`, { headers: { 'x-role': 'ops' } });
  assert.equal(allowed.status, 200);
  JSON.parse(await allowed.text());
  assert.deepEqual(seen, ['/debug/profile', '/debug/profile']);
  // both: the token first, then authorize
  const both = await serve({ token: TOKEN, authorize: (ctx) => ctx.get('x-role') === 'ops' });
  const tokenOnly = await fetch(`${both}/debug/profile?seconds=0.1`, { headers: auth });
  assert.equal(tokenOnly.status, 403);
  await tokenOnly.text();
  const ok = await fetch(`${both}/debug/profile?seconds=0.1`, { headers: { ...auth, 'x-role': 'ops' } });
  assert.equal(ok.status, 200);
  await ok.text();
  await waitFree();
});

test('bad seconds or format → 400; other paths and methods pass through', async () => {
  const base = await serve({ token: TOKEN, maxSeconds: 5 });
  for (const seconds of ['0', '-1', 'abc', '1e3', '6', '', 'Infinity', '0x10']) {
    const r = await fetch(`${base}/debug/profile?seconds=${seconds}`, { headers: auth });
    assert.equal(r.status, 400, `seconds=${seconds}`);
    assert.match(await r.text(), /at most 5/);
  }
  const format = await fetch(`${base}/debug/profile?seconds=1&format=pdf`, { headers: auth });
  assert.equal(format.status, 400);
  await format.text();
  assert.equal(profilerBusy(), false);
  const post = await fetch(`${base}/debug/profile`, { method: 'POST', headers: auth });
  assert.equal(post.status, 404);
  await post.text();
  const ping = await fetch(`${base}/ping`);
  assert.equal(await ping.text(), 'pong');
});

test('one at a time: 409 while a profile runs (for a heap snapshot too); the client leaving frees the profiler', { timeout: 30_000 }, async () => {
  const base = await serve();
  const first = await fetch(`${base}/debug/profile?seconds=1`, { headers: auth });
  assert.equal(first.status, 200, 'the head comes at once');
  const second = await fetch(`${base}/debug/profile?seconds=1`, { headers: auth });
  assert.equal(second.status, 409);
  assert.match(await second.text(), /already being taken/);
  const heap = await fetch(`${base}/debug/heap-snapshot`, { headers: auth });
  assert.equal(heap.status, 409);
  await heap.text();
  JSON.parse(await first.text());
  await waitFree();

  // a long profile whose client leaves: stopped at once, not after 30 s
  const abort = new AbortController();
  const long = await fetch(`${base}/debug/profile?seconds=30`, { headers: auth, signal: abort.signal });
  assert.equal(long.status, 200);
  assert.equal(profilerBusy(), true);
  const left = Date.now();
  abort.abort();
  await waitFree();
  const took = Date.now() - left;
  assert.ok(took < 5000, `freed within 5 s of the client leaving (${took} ms)`);
  console.log(`# profiler freed ${took} ms after the client left`);
});

test('ProfilingModule: the endpoints in a DI app', { timeout: 30_000 }, async () => {
  @Module({ imports: [ProfilingModule.forRoot({ token: TOKEN, prefix: '/internal/debug' })] })
  class AppModule {}
  const armature = await Armature.create(AppModule, { shutdownHooks: false });
  const address = await armature.listen({ port: 0, host: '127.0.0.1' });
  try {
    const base = `http://127.0.0.1:${address.port}`;
    const missing = await fetch(`${base}/internal/debug/profile?seconds=0.2`);
    assert.equal(missing.status, 401);
    await missing.text();
    const r = await fetch(`${base}/internal/debug/profile?seconds=0.2`, { headers: auth });
    assert.equal(r.status, 200);
    assert.ok(JSON.parse(await r.text()).nodes.length > 0);
    const old = await fetch(`${base}/debug/profile?seconds=0.2`, { headers: auth });
    assert.equal(old.status, 404);
    await old.text();
  } finally {
    await armature.close();
  }
  await waitFree();
});

test('profileOnSignal: SIGUSR2 writes a .cpuprofile (and its flame graph) to the directory', { timeout: 30_000 }, async () => {
  assert.throws(() => profileOnSignal({ signal: 'SIGUSR1' }), /Node's own/);
  const dir = await mkdtemp(join(tmpdir(), 'armature-profile-'));
  // Node 24's test runner turns on --report-on-signal, whose signal is SIGUSR2 too: no report file here
  const reportOnSignal = process.report.reportOnSignal;
  process.report.reportOnSignal = false;
  const listeners = process.listenerCount('SIGUSR2');
  try {
    let written: (files: string[]) => void = () => {};
    let failed: (error: unknown) => void = () => {};
    const files = new Promise<string[]>((resolve, reject) => {
      written = resolve;
      failed = reject;
    });
    const stop = profileOnSignal({ seconds: 0.3, dir, svg: true, onWritten: (f) => written(f), onError: (e) => failed(e) });
    try {
      process.kill(process.pid, 'SIGUSR2');
      const paths = await files;
      assert.equal(paths.length, 2);
      assert.deepEqual((await readdir(dir)).sort(), paths.map((p) => p.slice(dir.length + 1)).sort());
      assert.match(paths[0]!, new RegExp(`/cpu-pid${process.pid}-[\\d-]+T[\\d-]+Z\\.cpuprofile$`));
      const profile = JSON.parse(await readFile(paths[0]!, 'utf8'));
      assert.ok(profile.nodes.length > 0 && profile.endTime > profile.startTime);
      assert.match(await readFile(paths[1]!, 'utf8'), /<svg /);
    } finally {
      stop();
    }
    assert.equal(process.listenerCount('SIGUSR2'), listeners, 'stop() removed the handler');
    await waitFree();
  } finally {
    process.report.reportOnSignal = reportOnSignal;
    await rm(dir, { recursive: true, force: true });
  }
});
