// The Grafana dashboard (dashboards/armature.json) queries exactly the metrics an app exposes:
// every metric name in every query is in a scrape of a running app (after some traffic, so that
// labelled series exist), and the JSON is what dashboards/build.mjs generates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createApp } from '@armature/core';
import { createMetrics } from '@armature/observability/metrics';
// @ts-expect-error plain JavaScript, no declarations
import { evaluate, metricNames, parse, parseScrape } from '../../../dashboards/promql.mjs';

const file = new URL('../../../dashboards/armature.json', import.meta.url);

test('metricNames reads names, not functions, labels or clauses', () => {
  assert.deepEqual(metricNames(parse('histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{status=~"5.."}[$__rate_interval])))')), ['http_request_duration_seconds_bucket']);
  assert.deepEqual(metricNames(parse('sum(rate(a_total[5m])) / sum(b_total) + c')), ['a_total', 'b_total', 'c']);
  assert.throws(() => parse('topk(3, x)'), /promql/);
});

test('every metric of every dashboard query exists in a scrape of a running app', async () => {
  const dashboard = JSON.parse(readFileSync(file, 'utf8'));
  const exprs: string[] = dashboard.panels.flatMap((p: { targets: Array<{ expr: string }> }) => p.targets.map((t) => t.expr));
  assert.ok(exprs.length >= 10);
  const metrics = createMetrics();
  const app = createApp({ onError: () => {} });
  app.use(metrics.middleware);
  app.get('/ok/:id', () => 'ok');
  app.get('/fail', () => {
    throw new Error('x');
  });
  metrics.watch(app);
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    for (let i = 0; i < 5; i++) await (await fetch(`http://127.0.0.1:${port}/ok/${i}`)).text();
    await (await fetch(`http://127.0.0.1:${port}/fail`)).text();
    global.gc?.();
    await new Promise((r) => setTimeout(r, 50));
    const scrape = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const samples = new Set(scrape.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => /^[^{ ]+/.exec(l)![0]));
    const families = new Set([...scrape.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    const missing: string[] = [];
    for (const expr of exprs) {
      for (const name of metricNames(parse(expr)) as string[]) {
        // GC samples appear once a collection ran; the family is declared from the start
        if (!samples.has(name) && !(name.startsWith('nodejs_gc_') && families.has(name.replace(/_(sum|count|bucket)$/, '')))) missing.push(`${name} (in ${expr})`);
      }
    }
    assert.deepEqual(missing, []);
    // and every panel draws something from two scrapes with traffic between them
    const first = { time: 0, samples: parseScrape(scrape) };
    for (let i = 0; i < 5; i++) await (await fetch(`http://127.0.0.1:${port}/ok/${i}`)).text();
    await (await fetch(`http://127.0.0.1:${port}/fail`)).text();
    const second = { time: 1, samples: parseScrape(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()) };
    const empty = exprs.filter((expr) => !expr.includes('nodejs_gc_') && evaluate(parse(expr.replaceAll('$__rate_interval', '1s')), [first, second], 1, 1).length === 0);
    assert.deepEqual(empty, []);
  } finally {
    await app.close();
  }
});

test('the dashboard JSON is what dashboards/build.mjs writes', async () => {
  const { PANELS } = await import(new URL('../../../dashboards/build.mjs', import.meta.url).href);
  const dashboard = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(
    dashboard.panels.map((p: { title: string; targets: Array<{ expr: string }> }) => [p.title, p.targets.map((t) => t.expr)]),
    PANELS.map((p: { title: string; queries: string[][] }) => [p.title, p.queries.map((q) => q[0])]),
  );
});
