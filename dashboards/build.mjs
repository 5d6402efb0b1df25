#!/usr/bin/env node
// Writes dashboards/armature.json, the Grafana dashboard of @armature/observability's metrics.
// The panels are listed once here (title, unit, queries); `node dashboards/build.mjs` regenerates
// the JSON, and dashboards/render.mjs draws the same panels from a live app's scrapes.
import { writeFileSync } from 'node:fs';

const R = '$__rate_interval';
/** Every panel: its title, unit, and queries (PromQL, legend). */
export const PANELS = [
  { title: 'Requests per second by route', unit: 'reqps', queries: [[`sum by (route) (rate(http_requests_total[${R}]))`, '{{route}}']] },
  { title: 'Requests per second by status', unit: 'reqps', queries: [[`sum by (status) (rate(http_requests_total[${R}]))`, '{{status}}']] },
  { title: 'Server errors (5xx share)', unit: 'percentunit', queries: [[`sum(rate(http_requests_total{status=~"5.."}[${R}])) / sum(rate(http_requests_total[${R}]))`, '5xx']] },
  {
    title: 'Latency quantiles', unit: 's', queries: [
      [`histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket[${R}])))`, 'p50'],
      [`histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[${R}])))`, 'p95'],
      [`histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[${R}])))`, 'p99'],
    ],
  },
  { title: 'p95 latency by route', unit: 's', queries: [[`histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket[${R}])))`, '{{route}}']] },
  { title: 'Mean latency by route', unit: 's', queries: [[`sum by (route) (rate(http_request_duration_seconds_sum[${R}])) / sum by (route) (rate(http_request_duration_seconds_count[${R}]))`, '{{route}}']] },
  { title: 'Requests in flight', unit: 'short', queries: [['sum(http_requests_in_flight)', 'in flight']] },
  {
    title: 'Connections', unit: 'short', queries: [
      ['sum(armature_connections_open)', 'open'],
      [`sum(rate(armature_connections_culled_total[${R}]))`, 'culled/s'],
      [`sum(rate(armature_connections_refused_total[${R}]))`, 'refused/s'],
    ],
  },
  { title: 'Event loop utilization', unit: 'percentunit', queries: [['avg(nodejs_eventloop_utilization_ratio)', 'utilization']] },
  {
    title: 'Event loop lag', unit: 's', queries: [
      ['avg(nodejs_eventloop_lag_p50_seconds)', 'p50'],
      ['max(nodejs_eventloop_lag_p99_seconds)', 'p99'],
    ],
  },
  {
    title: 'Heap', unit: 'bytes', queries: [
      ['sum(nodejs_heap_size_used_bytes)', 'used'],
      ['sum(nodejs_heap_size_total_bytes)', 'total'],
      ['sum(process_resident_memory_bytes)', 'rss'],
    ],
  },
  { title: 'GC time per second by kind', unit: 's', queries: [[`sum by (kind) (rate(nodejs_gc_duration_seconds_sum[${R}]))`, '{{kind}}']] },
  { title: 'CPU (cores)', unit: 'short', queries: [[`sum(rate(process_cpu_seconds_total[${R}]))`, 'cpu']] },
];

function dashboard() {
  const ds = { type: 'prometheus', uid: '${datasource}' };
  const panels = PANELS.map((p, i) => ({
    id: i + 1,
    type: 'timeseries',
    title: p.title,
    datasource: ds,
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    fieldConfig: { defaults: { unit: p.unit, custom: { lineWidth: 1, fillOpacity: 10 } }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    targets: p.queries.map(([expr, legend], j) => ({ refId: String.fromCharCode(65 + j), datasource: ds, expr, legendFormat: legend })),
  }));
  return {
    title: 'Armature',
    uid: 'armature-observability',
    description: 'Requests, latency, connections, event loop, memory and GC of an Armature app (@armature/observability metrics)',
    tags: ['armature', 'nodejs'],
    schemaVersion: 39,
    version: 1,
    editable: true,
    time: { from: 'now-1h', to: 'now' },
    refresh: '30s',
    templating: {
      list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' }],
    },
    panels,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('./armature.json', import.meta.url), `${JSON.stringify(dashboard(), null, 2)}\n`);
  console.log('dashboards/armature.json written');
}
