#!/usr/bin/env node
// Draws the Grafana dashboard's panels from a real app's metrics, for docs/observability.md
// (Grafana is not on this machine): runs examples/observability with two workers, sends it mixed
// traffic (fast and slow reads, 404s, 500s) for DURATION seconds while scraping /metrics every
// second, evaluates every panel's queries on the scrapes (dashboards/promql.mjs), draws them as
// SVG on a local page and screenshots it in headless Chromium (/usr/bin/chromium).
//   node dashboards/render.mjs            env: DURATION=30 OUT=docs/observability-dashboard.png
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PANELS } from './build.mjs';
import { evaluate, legend, parse, parseScrape } from './promql.mjs';

const root = new URL('..', import.meta.url).pathname;
const duration = Number(process.env.DURATION ?? 30);
const out = process.env.OUT ?? join(root, 'docs/observability-dashboard.png');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function startExample() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/observability/main.ts'], {
    cwd: root, env: { ...process.env, PORT: '0', WORKERS: '2', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`example did not start: ${text}`)), 60_000);
    child.stdout.on('data', (d) => {
      text += d;
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`example exited with ${code}: ${text}`)));
  });
  child.stdout.resume();
  return { child, port };
}

/** Mixed traffic from `workers` loops until `until`: reads (some slow), 404s, a few 500s. */
async function load(base, until, workers = 16) {
  const paths = ['/users/7', '/users/7', '/users/7', '/users/7?delay=15', '/users/7?delay=60', '/users/404', '/'];
  let n = 0;
  const loop = async (w) => {
    while (Date.now() < until) {
      n++;
      const path = n % 97 === 0 ? '/boom' : paths[(n + w) % paths.length];
      try {
        await (await fetch(base + path)).arrayBuffer();
      } catch {
        await sleep(10);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, w) => loop(w)));
  return n;
}

function fmt(value, unit) {
  if (!Number.isFinite(value)) return '–';
  if (unit === 'percentunit') return `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;
  if (unit === 'bytes') return value >= 1 << 20 ? `${(value / (1 << 20)).toFixed(0)} MiB` : `${(value / 1024).toFixed(0)} KiB`;
  if (unit === 's') return value >= 1 ? `${value.toFixed(2)} s` : value >= 0.001 ? `${(value * 1000).toFixed(value < 0.01 ? 1 : 0)} ms` : `${(value * 1e6).toFixed(0)} µs`;
  if (unit === 'reqps') return `${value.toFixed(value < 10 ? 1 : 0)} req/s`;
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}

const COLORS = ['#73bf69', '#f2cc0c', '#5794f2', '#ff780a', '#f2495c', '#b877d9', '#8ab8ff', '#ffb357', '#96d98d'];

function panelSvg(panel, scrapes) {
  const W = 560, H = 200, L = 64, R = 8, T = 8, B = 22;
  const lines = new Map();
  scrapes.forEach((scrape, i) => {
    for (const [expr, format] of panel.queries) {
      for (const s of evaluate(parse(expr.replaceAll('$__rate_interval', '5s')), scrapes, i)) {
        if (!Number.isFinite(s.value)) continue;
        const name = legend(format, s.labels) || format;
        if (!lines.has(name)) lines.set(name, []);
        lines.get(name).push([scrape.time, s.value]);
      }
    }
  });
  const t0 = scrapes[0].time, t1 = scrapes.at(-1).time;
  let max = 0;
  for (const pts of lines.values()) for (const [, v] of pts) max = Math.max(max, v);
  if (max === 0) max = 1;
  const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const y = (v) => T + (1 - v / (max * 1.1)) * (H - T - B);
  let svg = `<svg width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">`;
  for (let k = 0; k <= 4; k++) {
    const v = (max * 1.1 * k) / 4;
    svg += `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#2c3235"/><text x="${L - 6}" y="${y(v) + 4}" fill="#8e8e8e" font-size="10" text-anchor="end">${fmt(v, panel.unit)}</text>`;
  }
  for (let s = 0; s <= t1 - t0; s += 10) svg += `<text x="${x(t0 + s)}" y="${H - 6}" fill="#8e8e8e" font-size="10" text-anchor="middle">${s}s</text>`;
  let c = 0;
  const legendItems = [];
  for (const [name, pts] of [...lines].sort((a, b) => a[0].localeCompare(b[0]))) {
    const color = COLORS[c++ % COLORS.length];
    svg += `<polyline fill="none" stroke="${color}" stroke-width="1.6" points="${pts.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`;
    legendItems.push(`<span><i style="background:${color}"></i>${name.replace(/</g, '&lt;')} <b>${fmt(pts.at(-1)[1], panel.unit)}</b></span>`);
  }
  svg += '</svg>';
  return `<div class="panel"><h3>${panel.title}</h3>${svg}<div class="legend">${legendItems.join('')}</div></div>`;
}

const { child, port } = await startExample();
try {
  const base = `http://127.0.0.1:${port}`;
  const scrapes = [];
  const started = Date.now();
  const until = started + duration * 1000;
  const traffic = load(base, until);
  while (Date.now() < until + 1000) {
    const text = await (await fetch(`${base}/metrics`)).text();
    scrapes.push({ time: (Date.now() - started) / 1000, samples: parseScrape(text), workers: /of (\d+) workers/.exec(text)?.[1] });
    await sleep(1000);
  }
  const requests = await traffic;
  const html = `<!doctype html><meta charset="utf-8"><style>
    body { background:#111217; color:#ccccdc; font:13px system-ui, sans-serif; margin:12px; width:1160px }
    h1 { font-size:16px; margin:0 0 4px } p { margin:0 0 10px; color:#8e8e8e }
    .grid { display:grid; grid-template-columns: 1fr 1fr; gap:10px }
    .panel { background:#181b1f; border:1px solid #2c3235; border-radius:3px; padding:6px 8px }
    h3 { font-size:13px; margin:0 0 4px; font-weight:500 }
    .legend span { margin-right:12px; font-size:11px; white-space:nowrap } .legend i { display:inline-block; width:10px; height:3px; margin:0 4px 3px 0 }
    </style><h1>Armature — dashboards/armature.json, drawn from a running app's /metrics</h1>
    <p>examples/observability, ${scrapes.at(-1).workers ?? '?'} workers, ${requests} requests in ${duration} s of mixed traffic; one scrape per second, rates over 5 s.</p>
    <div class="grid">${PANELS.map((p) => panelSvg(p, scrapes)).join('')}</div>`;
  const dir = mkdtempSync(join(tmpdir(), 'armature-dashboard-'));
  writeFileSync(join(dir, 'index.html'), html);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1184, height: 800 } });
    await page.goto(`file://${join(dir, 'index.html')}`);
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    await browser.close();
  }
  console.log(`${out} written (${scrapes.length} scrapes, ${requests} requests)`);
} finally {
  child.kill('SIGTERM');
}
