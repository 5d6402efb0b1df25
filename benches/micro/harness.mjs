// The harness of the micro benchmarks that compare an Armature piece with the best-known peer
// piece in the same run, on mitata (a maintained harness: warm-up, batching of fast functions,
// percentiles, detection of code the JIT optimized away, heap and GC figures under --expose-gc).
//
// Each group (one input, every candidate on it) runs in a process of its own (ISOLATE=0: all in
// one), so that what the JIT learned from one kind of input cannot slow another: node:http's
// response writer, for one, took twice as long on the plaintext answer once it had also written
// the other two kinds in the same process.
//
// In a group's process, round 1 is mitata's own run, printed as mitata prints it (distributions,
// and a summary of how many times faster each candidate is than the reference). ROUNDS - 1
// further rounds (default ROUNDS=3) measure every case again with mitata's measure(), in a
// rotating order, so that the noise of a shared machine falls on all candidates alike. The
// figure kept is the median over the rounds of mitata's p50 (and p25, p75), per operation (a
// case may do several per call, e.g. a pipelined batch of 16 requests), with the ratio to the
// group's reference.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench, group, measure, run, summary } from 'mitata';
import { median } from '../lib/load.mjs';

export { do_not_optimize } from 'mitata';

const mitataVersion = createRequire(import.meta.url)('mitata/package.json').version;
/** Set in a group's process: where it leaves its results for the parent. */
const CHILD_OUT = process.env.MICRO_GROUP_RESULTS;
/** This process measures one group for a parent, which reports: print and write nothing. */
export const inGroupProcess = CHILD_OUT !== undefined;

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The items whose `group` matches the ONLY environment variable (a regular expression), or all. */
export function selected(items) {
  const only = process.env.ONLY ? new RegExp(process.env.ONLY) : null;
  const kept = only === null ? items : items.filter((item) => only.test(item.group));
  if (kept.length === 0) throw new Error(`ONLY=${process.env.ONLY} matches none of: ${items.map((i) => i.group).join(', ')}`);
  return kept;
}

/**
 * Where a benchmark writes its results: benches/results/<name>.json, or <name>-subset.json when
 * ONLY picked some groups (a partial run does not replace the full one).
 */
export function resultsPath(name) {
  return fileURLToPath(new URL(`../results/${name}${process.env.ONLY ? '-subset' : ''}.json`, import.meta.url));
}

/**
 * Writes `fields` to resultsPath(name), after the date, the Node version, the harness and the
 * rounds, and says where.
 */
export function writeResults(name, rounds, fields) {
  const path = resultsPath(name);
  mkdirSync(dirname(path), { recursive: true });
  const record = { date: new Date().toISOString(), node: process.version, harness: `mitata ${mitataVersion} (benches/micro/harness.mjs)`, rounds, ...fields };
  writeFileSync(path, JSON.stringify(record, null, 2) + '\n');
  console.log(`\nwrote ${path}`);
  return path;
}

/** Runs this script again for each group, alone; returns their results in order. */
function runGroupsApart(groups) {
  const dir = mkdtempSync(join(tmpdir(), 'armature-micro-'));
  try {
    return groups.flatMap((g, i) => {
      const out = join(dir, `${i}.json`);
      const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
        stdio: 'inherit',
        env: { ...process.env, ONLY: `^${escapeRegExp(g)}$`, MICRO_GROUP_RESULTS: out },
      });
      if (child.status !== 0) throw new Error(`group "${g}" failed (exit ${child.status ?? child.signal})`);
      return JSON.parse(readFileSync(out, 'utf8'));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Round 1 with mitata's report, then the further rounds; median p50 per operation per case. */
async function measureHere(cases, groups, reference, rounds) {
  for (const g of groups) {
    group(g, () => summary(() => {
      for (const c of cases) if (c.group === g) bench(c.name, c.fn).baseline(c.name === reference);
    }));
  }
  const ordered = groups.flatMap((g) => cases.filter((c) => c.group === g));
  const first = await run({ colors: Boolean(process.stdout.isTTY) });
  if (first.benchmarks.length !== ordered.length) throw new Error(`mitata ran ${first.benchmarks.length} of ${ordered.length} cases`);
  const stats = ordered.map((c, i) => {
    const trial = first.benchmarks[i];
    if (trial.alias !== c.name) throw new Error(`mitata result ${i} is "${trial.alias}", expected "${c.name}"`);
    if (trial.runs[0].error) throw trial.runs[0].error;
    return [trial.runs[0].stats];
  });
  for (let r = 1; r < rounds; r++) {
    for (let k = 0; k < ordered.length; k++) {
      const i = (k + r * 3) % ordered.length;
      stats[i].push(await measure(ordered[i].fn));
    }
  }
  return ordered.map((c, i) => {
    const ops = c.ops ?? 1;
    const per = (key) => +(median(stats[i].map((s) => s[key])) / ops).toFixed(1);
    return { group: c.group, name: c.name, ops, nsPerOp: per('p50'), p25: per('p25'), p75: per('p75'), p50PerRound: stats[i].map((s) => +s.p50.toFixed(1)) };
  });
}

/**
 * Measures `cases` ({ group, name, fn, ops = 1 }): in each group, every candidate does the same
 * work; `reference` names the candidate of each group the others are compared to. Prints mitata's
 * report and a summary table, and writes resultsPath(file) when `file` (a name) is given.
 */
export async function compare(cases, { title, reference, file, notes, rounds = Number(process.env.ROUNDS ?? 3) }) {
  const groups = [...new Set(cases.map((c) => c.group))];
  if (CHILD_OUT === undefined) console.log(`${title}\n`);
  const apart = CHILD_OUT === undefined && groups.length > 1 && process.env.ISOLATE !== '0';
  const results = apart ? runGroupsApart(groups) : await measureHere(cases, groups, reference, rounds);
  if (CHILD_OUT !== undefined) {
    writeFileSync(CHILD_OUT, JSON.stringify(results));
    return results;
  }

  for (const r of results) {
    const ref = results.find((x) => x.group === r.group && x.name === reference);
    r.speedupVsReference = ref === undefined ? null : +(ref.nsPerOp / r.nsPerOp).toFixed(2);
  }
  const w = Math.max(...results.map((r) => r.name.length));
  console.log(`\n${title}\nMedian over ${rounds} round(s) of mitata's p50, per operation, ${apart ? 'each group in its own process' : 'all groups in one process'}; ` +
    `"× ref" = ${reference}'s time ÷ this one's (above 1 is faster).`);
  for (const g of groups) {
    const rs = results.filter((r) => r.group === g);
    console.log(`\n${g}${rs[0].ops > 1 ? ` (${rs[0].ops} per call)` : ''}\n  ${'candidate'.padEnd(w)}  ${'ns/op'.padStart(9)}  × ref`);
    for (const r of rs) console.log(`  ${r.name.padEnd(w)}  ${r.nsPerOp.toFixed(1).padStart(9)}  ${r.speedupVsReference === null ? '' : `${r.speedupVsReference.toFixed(2)}×`}`);
  }
  if (file !== undefined) writeResults(file, rounds, { isolated: apart, reference, notes, results });
  return results;
}
