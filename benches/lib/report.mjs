// Turning measured rounds into figures: medians per test and framework, ratio tables against a
// reference framework, and the regression gate's verdict. Pure functions (unit-tested).
import { median } from './load.mjs';

const round2 = (n) => Math.round(n * 100) / 100;
const round3 = (n) => Math.round(n * 1000) / 1000;

/**
 * measureRounds() output → { [test]: { [fw]: figures | { skipped } } } where figures are the
 * median rps, p50 and p99 (ms) and server CPU per request (µs) over the rounds, the highest peak RSS (MB), the per-round rps,
 * the non-2xx / socket-error counts and the most CPU other processes took meanwhile (cores). `skip` ({ [test]: reason }) marks tests not run at all.
 */
export function summarize({ runs, status, unavailable }, { frameworks, tests, skip = {} }) {
  const summary = {};
  for (const t of tests) {
    const row = (summary[t] = {});
    for (const fw of frameworks) {
      const rs = runs[t]?.[fw];
      const state = status[fw]?.[t];
      if (unavailable[fw]) row[fw] = { skipped: 'not available' };
      else if (skip[t]) row[fw] = { skipped: skip[t] };
      else if (state && state !== 'ok') row[fw] = { skipped: state };
      else if (!rs?.length) row[fw] = { skipped: 'no result' };
      else {
        row[fw] = {
          rps: Math.round(median(rs.map((r) => r.rps))),
          p50: round2(median(rs.map((r) => r.p50))),
          p99: round2(median(rs.map((r) => r.p99))),
          cpuUs: round2(median(rs.map((r) => r.cpuUs ?? NaN))),
          rssMb: Math.round(Math.max(...rs.map((r) => r.rssKb)) / 1024),
          rounds: rs.map((r) => Math.round(r.rps)),
          non2xx: rs.reduce((s, r) => s + r.non2xx, 0),
          socketErrors: rs.map((r) => r.socketErrors).filter(Boolean),
          otherCores: Math.max(0, ...rs.map((r) => r.otherCores ?? 0)),
        };
      }
    }
  }
  return summary;
}

const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const fmtMs = (n) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : '–');
export const fmtRatio = (r) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : '–');

/** Ratio of a framework's median rps to the reference's in the same summary row (NaN if either is missing). */
export function ratioTo(row, fw, reference) {
  const a = row[fw]?.rps;
  const b = row[reference]?.rps;
  return a > 0 && b > 0 ? a / b : NaN;
}

/** CPU (in cores) other processes may take during a measurement before the table says so. */
const OTHERS_NOTED = 0.1;

/**
 * One table row per test and framework: req/s, ratio to `reference`, server CPU µs per request,
 * its ratio to the reference's (above 1: costs more), p50, p99, peak RSS, remarks.
 */
export function compareRows(summary, { tests, frameworks, reference }) {
  const rows = [];
  for (const t of tests) {
    for (const fw of frameworks) {
      const f = summary[t]?.[fw];
      if (!f || f.skipped) {
        rows.push([t, fw, f?.skipped ?? 'n/a', '', '', '', '', '', '', '']);
        continue;
      }
      const others = f.otherCores >= OTHERS_NOTED && `other processes used ${f.otherCores} cores`;
      const trouble = [f.non2xx > 0 && `${f.non2xx} non-2xx`, ...f.socketErrors, others].filter(Boolean).join('; ');
      const ref = summary[t]?.[reference]?.cpuUs;
      const cpuRatio = f.cpuUs > 0 && ref > 0 ? f.cpuUs / ref : NaN;
      rows.push([t, fw, fmtInt(f.rps), fmtRatio(ratioTo(summary[t], fw, reference)), fmtMs(f.cpuUs), fmtRatio(cpuRatio), fmtMs(f.p50), fmtMs(f.p99), fmtInt(f.rssMb), trouble]);
    }
  }
  return rows;
}

/** A Markdown table; columns listed in `right` are right-aligned. */
export function markdownTable(header, rows, right = []) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (right.includes(i) ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

/**
 * The gate: per test, the median over rounds of (fw rps / reference rps) measured in the same
 * round, compared with the baseline ratio. A test fails when its ratio is more than `threshold`
 * (a fraction) below the baseline. Returns { ok, checks: [{ test, ratio, rounds, baseline, floor, ok }] }.
 */
export function gateCheck(runs, { fw, reference, tests, baseline, threshold }) {
  const checks = tests.map((test) => {
    const mine = runs[test]?.[fw] ?? [];
    const ref = runs[test]?.[reference] ?? [];
    const perRound = mine
      .map((r) => ({ r, q: ref.find((x) => x.round === r.round) }))
      .filter(({ q }) => q && q.rps > 0)
      .map(({ r, q }) => r.rps / q.rps);
    const ratio = perRound.length ? median(perRound) : NaN;
    const base = baseline?.[test];
    const floor = Number.isFinite(base) ? base * (1 - threshold) : NaN;
    return { test, ratio: round3(ratio), rounds: perRound.map(round3), baseline: base, floor: round3(floor), ok: ratio >= floor };
  });
  return { ok: checks.every((c) => c.ok), checks };
}

/** Bar-chart groups (see svg.mjs): per test, each framework's median rps, labelled with its ratio to `reference`. */
export function chartGroups(summary, { tests, frameworks, reference }) {
  return tests.map((t) => ({
    label: t,
    bars: frameworks.map((fw) => {
      const f = summary[t]?.[fw];
      if (!f || f.skipped) return { series: fw, value: null, text: f?.skipped ?? 'n/a' };
      const r = ratioTo(summary[t], fw, reference);
      return { series: fw, value: f.rps, text: `${fmtInt(f.rps)} req/s${fw !== reference && Number.isFinite(r) ? ` (${fmtRatio(r)} ${reference})` : ''}` };
    }),
  }));
}
