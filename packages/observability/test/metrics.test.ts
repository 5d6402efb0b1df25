// Prometheus metrics: requests and durations by route pattern (never the raw path), method and
// status; the scrape itself is not counted; engine connections of a watched app; bad options fail
// at creation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '@armature/core';
import { Counter } from 'prom-client';
import { createMetrics } from '@armature/observability/metrics';

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

test('requests counted and timed by route pattern, method and status; the scrape is not counted', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const app = createApp({ onError: () => {} });
  app.use(metrics.middleware);
  app.get('/users/:id', (ctx) => ({ id: ctx.params.id }));
  app.post('/users', () => {
    throw new Error('no');
  });
  for (const id of ['1', '2', '3']) await app.inject(`/users/${id}`);
  await app.inject({ method: 'POST', url: '/users' });
  await app.inject('/nowhere/1');
  await app.inject('/nowhere/2');
  await app.inject({ method: 'BREW', url: '/users/1' });
  const r = await app.inject('/metrics');
  assert.equal(r.statusCode, 200);
  assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const text = r.body;
  assert.equal(sample(text, 'http_requests_total', { method: 'GET', route: '/users/:id', status: '200' }), 3);
  assert.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/users', status: '500' }), 1);
  assert.equal(sample(text, 'http_requests_total', { method: 'GET', route: '(unmatched)', status: '404' }), 2);
  assert.equal(sample(text, 'http_requests_total', { method: 'other', route: '(unmatched)', status: '405' }), 1);
  assert.equal(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/users/:id', status: '200' }), 3);
  assert.equal(sample(text, 'http_request_duration_seconds_bucket', { method: 'GET', route: '/users/:id', status: '200', le: '+Inf' }), 3);
  assert.equal(sample(text, 'http_requests_in_flight'), 0);
  assert.ok(!text.includes('/users/1"'), 'a raw path became a label value');
  assert.ok(!text.includes('route="/metrics"'));
});

test('default metrics: heap, GC, event-loop lag and utilization, CPU', async () => {
  const metrics = createMetrics();
  const text = await metrics.scrape();
  for (const name of ['nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_eventloop_utilization_ratio', 'process_cpu_seconds_total', 'nodejs_gc_duration_seconds']) {
    assert.ok(text.includes(`# TYPE ${name} `), `${name} missing`);
  }
});

test('a watched app reports its engine connections', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const app = createApp();
  app.use(metrics.middleware);
  app.get('/', () => 'ok');
  metrics.watch(app);
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.ok(sample(text, 'armature_connections_open')! >= 1);
    assert.equal(sample(text, 'armature_connections_refused_total'), 0);
    assert.equal(sample(text, 'armature_connections_culled_total'), 0);
  } finally {
    await app.close();
  }
});

test('custom metrics on the registry; path, labels and prefix options; a bad path is refused', async () => {
  const metrics = createMetrics({ defaultMetrics: false, path: '/internal/metrics', prefix: 'shop_', labels: { service: 'shop' } });
  const orders = new Counter({ name: 'shop_orders_total', help: 'Orders placed', registers: [metrics.registry] });
  orders.inc(2);
  const app = createApp();
  app.use(metrics.middleware);
  app.get('/', () => 'ok');
  await app.inject('/');
  assert.equal((await app.inject('/metrics')).statusCode, 404);
  const text = (await app.inject('/internal/metrics')).body;
  assert.equal(sample(text, 'shop_orders_total', { service: 'shop' }), 2);
  assert.equal(sample(text, 'shop_http_requests_total', { route: '/', service: 'shop' }), 1);
  assert.throws(() => createMetrics({ path: 'metrics' }), /must start with "\/"/);
});

test('metrics.handler serves the scrape from a route of your own', async () => {
  const metrics = createMetrics({ defaultMetrics: false, path: false });
  const app = createApp();
  app.use(metrics.middleware);
  app.get('/ops/metrics', metrics.handler);
  const r = await app.inject('/ops/metrics');
  assert.equal(r.statusCode, 200);
  assert.match(r.body, /# TYPE http_requests_total counter/);
});

test('requests answered in this turn are in a scrape taken at once (recorded at the end of the turn, told before any read)', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const app = createApp();
  app.use(metrics.middleware);
  app.get('/a', () => 'a');
  await Promise.all([app.inject('/a'), app.inject('/a'), app.inject('/a')]);
  const json = await metrics.registry.getMetricsAsJSON();
  const count = json.find((m) => m.name === 'http_requests_total')!.values.find((v) => v.labels.route === '/a');
  assert.equal(count?.value, 3);
  assert.match(await metrics.scrape(), /http_requests_in_flight 0/);
});

test('two metrics in one process count the same routes each, apart (the outcomes they share keep one series per metrics)', async () => {
  const first = createMetrics({ defaultMetrics: false, path: false });
  const second = createMetrics({ defaultMetrics: false, path: false });
  const one = createApp();
  one.use(first.middleware);
  one.get('/shared', () => 'one');
  const two = createApp();
  two.use(second.middleware);
  two.get('/shared', () => 'two');
  const both = createApp();
  both.use(first.middleware);
  both.use(second.middleware);
  both.get('/shared', () => 'both');
  for (let i = 0; i < 3; i++) await one.inject('/shared');
  for (let i = 0; i < 5; i++) await two.inject('/shared');
  await both.inject('/shared');
  await both.inject({ method: 'HEAD', url: '/shared' });
  const labels = { method: 'GET', route: '/shared', status: '200' };
  assert.equal(sample(await first.scrape(), 'http_requests_total', labels), 4);
  assert.equal(sample(await second.scrape(), 'http_requests_total', labels), 6);
  assert.equal(sample(await first.scrape(), 'http_requests_total', { ...labels, method: 'HEAD' }), 1);
  assert.equal(sample(await second.scrape(), 'http_requests_total', { ...labels, method: 'HEAD' }), 1);
});
