// The pure pieces of the comparison runner and the regression gate (benches/lib/*.mjs):
// load-generator output parsing, the SVG bar chart, the ratio table and the gate's verdict.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

interface LoadResult { rps: number; requests?: number; p50: number; p99: number; non2xx: number; socketErrors: string }
interface Run extends LoadResult { rssKb: number; cpuUs?: number; otherCores: number; round: number }
type Runs = Record<string, Record<string, Run[]>>;
interface Measured { runs: Runs; status: Record<string, Record<string, string>>; unavailable: Record<string, string> }
type Summary = Record<string, Record<string, { rps?: number; skipped?: string }>>;
interface Check { test: string; ratio: number; rounds: number[]; baseline: number | undefined; floor: number; ok: boolean }
interface Bar { series: string; value: number | null; text?: string }

const lib = new URL('../lib/', import.meta.url);
const load = (await import(new URL('load.mjs', lib).href)) as {
  parseWrk(text: string): LoadResult;
  parseAutocannon(text: string): LoadResult;
  median(xs: number[]): number;
};
const report = (await import(new URL('report.mjs', lib).href)) as {
  summarize(m: Measured, o: { frameworks: string[]; tests: string[]; skip?: Record<string, string> }): Summary;
  compareRows(s: Summary, o: { tests: string[]; frameworks: string[]; reference: string }): string[][];
  markdownTable(header: string[], rows: string[][], right?: number[]): string;
  chartGroups(s: Summary, o: { tests: string[]; frameworks: string[]; reference: string }): Array<{ label: string; bars: Bar[] }>;
  gateCheck(runs: Runs, o: { fw: string; reference: string; tests: string[]; baseline: Record<string, number> | undefined; threshold: number }): { ok: boolean; checks: Check[] };
};
const svg = (await import(new URL('svg.mjs', lib).href)) as {
  barChart(o: { title: string; subtitle?: string; series: string[]; groups: Array<{ label: string; bars: Bar[] }> }): string;
};

const WRK_OUTPUT = `Running 3s test @ http://127.0.0.1:8080/plaintext
  1 threads and 100 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   808.13us  312.45us  12.01ms   91.20%
    Req/Sec   123.45k     5.67k  130.00k    80.00%
  Latency Distribution
     50%  750.00us
     75%  850.00us
     90%    1.02ms
     99%    2.50ms
  370350 requests in 3.00s, 45.21MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec: 123450.12
Transfer/sec:     15.07MB
`;

describe('parseWrk', () => {
  it('reads requests/s, p50 and p99 in ms, non-2xx and socket errors', () => {
    const r = load.parseWrk(WRK_OUTPUT);
    assert.equal(r.rps, 123450.12);
    assert.equal(r.requests, 370350);
    assert.equal(r.p50, 0.75);
    assert.equal(r.p99, 2.5);
    assert.equal(r.non2xx, 7);
    assert.equal(r.socketErrors, 'connect 0, read 0, write 0, timeout 3');
  });

  it('converts seconds, and a lost percentile (0.00us) or missing output is NaN', () => {
    const r = load.parseWrk(WRK_OUTPUT.replace('750.00us', '1.20s').replace('2.50ms', '0.00us'));
    assert.equal(r.p50, 1200);
    assert.ok(Number.isNaN(r.p99));
    const empty = load.parseWrk('');
    assert.ok(Number.isNaN(empty.rps));
    assert.equal(empty.non2xx, 0);
    assert.equal(empty.socketErrors, '');
  });
});

describe('parseAutocannon', () => {
  it('reads the --json output into the same shape', () => {
    const json = JSON.stringify({ duration: 2.5, requests: { total: 50000, average: 19000 }, latency: { p50: 3, p99: 11 }, non2xx: 2, errors: 1, timeouts: 0, resets: 0 });
    assert.deepEqual(load.parseAutocannon(json), { rps: 20000, requests: 50000, p50: 3, p99: 11, non2xx: 2, socketErrors: 'errors 1' });
  });
});

/** Checks that `xml` is one well-formed element tree: balanced tags, quoted attributes, escaped text. */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  const tokens = body.split(/(<[^>]*>)/).filter((t) => t !== '');
  const stack: string[] = [];
  let roots = 0;
  const entity = /&(amp|lt|gt|quot|apos|#\d+);/g;
  for (const token of tokens) {
    if (!token.startsWith('<')) {
      assert.ok(!/[<>]/.test(token) && !token.replace(entity, '').includes('&'), `bad text: ${token}`);
      continue;
    }
    const m = /^<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>$/.exec(token);
    assert.ok(m, `bad tag: ${token}`);
    const [, closing, name, attrs, selfClosing] = m;
    assert.ok(!attrs!.replace(entity, '').includes('&'), `unescaped & in ${token}`);
    const names = [...attrs!.matchAll(/([\w:-]+)="/g)].map((a) => a[1]);
    assert.equal(new Set(names).size, names.length, `repeated attribute in ${token}`);
    if (closing) assert.equal(stack.pop(), name, `unbalanced </${name}>`);
    else {
      if (stack.length === 0) roots++;
      if (!selfClosing) stack.push(name!);
    }
  }
  assert.deepEqual(stack, []);
  assert.equal(roots, 1);
}

const attr = (tag: string, name: string): number => Number(new RegExp(`\\s${name}="([^"]*)"`).exec(tag)![1]);

describe('barChart', () => {
  const chart = svg.barChart({
    title: 'req/s <plaintext> & "json"',
    series: ['armature', 'fastify', 'node-http'],
    groups: [
      { label: 'plaintext', bars: [{ series: 'armature', value: 120000, text: '120,000' }, { series: 'fastify', value: 80000 }, { series: 'node-http', value: 30000 }] },
      { label: 'db & co', bars: [{ series: 'armature', value: 9000 }, { series: 'fastify', value: 12000 }, { series: 'node-http', value: null, text: 'n/a' }] },
    ],
  });

  it('is a well-formed SVG document with the text escaped', () => {
    assertWellFormed(chart);
    assert.match(chart, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(chart.includes('req/s &lt;plaintext&gt; &amp; &quot;json&quot;'));
    assert.ok(chart.includes('db &amp; co'));
  });

  it('draws bars proportional to their value within a group, the largest at full width', () => {
    const bars = [...chart.matchAll(/<rect class="bar"[^>]*>/g)].map((m) => m[0]);
    assert.equal(bars.length, 5); // the null value draws no bar
    const [a, f, n, a2, f2] = bars.map((b) => ({ w: attr(b, 'width'), v: attr(b, 'data-value') }));
    assert.deepEqual([a!.v, f!.v, n!.v, a2!.v, f2!.v], [120000, 80000, 30000, 9000, 12000]);
    for (const [bar, ref] of [[f!, a!], [n!, a!], [a2!, f2!]] as const) {
      assert.ok(Math.abs(bar.w / ref.w - bar.v / ref.v) < 0.001, `${bar.v} vs ${ref.v}`);
    }
    assert.equal(a!.w, f2!.w); // each group's largest bar spans the whole bar area
    assert.ok(chart.includes('>n/a</text>'));
  });
});

const run = (rps: number, round: number, extra: Partial<Run> = {}): Run => ({ rps, p50: 1, p99: 4, non2xx: 0, socketErrors: '', rssKb: 51200, cpuUs: 10, otherCores: 0.02, round, ...extra });

describe('summarize and the ratio table', () => {
  const measured: Measured = {
    runs: {
      plaintext: { armature: [run(150, 1, { cpuUs: 4 }), run(130, 2, { cpuUs: 6 }), run(140, 3, { rssKb: 102400, cpuUs: 5 })], fastify: [run(100, 1), run(90, 2), run(70, 3)] },
      db: { fastify: [run(10, 1, { non2xx: 3, otherCores: 0.5 })] },
    },
    status: { armature: { plaintext: 'ok', db: 'n/a' }, fastify: { plaintext: 'ok', db: 'ok' } },
    unavailable: { hono: 'exited early' },
  };
  const frameworks = ['armature', 'fastify', 'hono'];
  const summary = report.summarize(measured, { frameworks, tests: ['plaintext', 'db', 'fortunes'], skip: { fortunes: 'skipped: no database' } });

  it('takes medians over the rounds and the highest peak RSS', () => {
    assert.deepEqual(summary.plaintext!.armature, { rps: 140, p50: 1, p99: 4, cpuUs: 5, rssMb: 100, rounds: [150, 130, 140], non2xx: 0, socketErrors: [], otherCores: 0.02 });
    assert.equal(summary.plaintext!.fastify!.rps, 90);
    assert.deepEqual(summary.db!.armature, { skipped: 'n/a' });
    assert.deepEqual(summary.plaintext!.hono, { skipped: 'not available' });
    assert.deepEqual(summary.fortunes!.fastify, { skipped: 'skipped: no database' });
  });

  it('gives each row its ratio against the reference, and says why a cell is empty', () => {
    const rows = report.compareRows(summary, { tests: ['plaintext', 'db'], frameworks, reference: 'fastify' });
    assert.deepEqual(rows, [
      ['plaintext', 'armature', '140', '1.56×', '5.00', '0.50×', '1.00', '4.00', '100', ''],
      ['plaintext', 'fastify', '90', '1.00×', '10.0', '1.00×', '1.00', '4.00', '50', ''],
      ['plaintext', 'hono', 'not available', '', '', '', '', '', '', ''],
      ['db', 'armature', 'n/a', '', '', '', '', '', '', ''],
      ['db', 'fastify', '10', '1.00×', '10.0', '1.00×', '1.00', '4.00', '50', '3 non-2xx; other processes used 0.5 cores'],
      ['db', 'hono', 'not available', '', '', '', '', '', '', ''],
    ]);
    const table = report.markdownTable(['test', 'req/s'], [['json', '1']], [1]).split('\n');
    assert.deepEqual(table, ['| test | req/s |', '| --- | ---: |', '| json | 1 |']);
  });

  it('labels the chart bars with the ratio and leaves skipped ones without a bar', () => {
    const [plain, db] = report.chartGroups(summary, { tests: ['plaintext', 'db'], frameworks, reference: 'fastify' });
    assert.deepEqual(plain!.bars[0], { series: 'armature', value: 140, text: '140 req/s (1.56× fastify)' });
    assert.deepEqual(plain!.bars[1], { series: 'fastify', value: 90, text: '90 req/s' });
    assert.deepEqual(db!.bars[0], { series: 'armature', value: null, text: 'n/a' });
  });
});

describe('gateCheck', () => {
  const runs: Runs = {
    plaintext: { armature: [run(150, 1), run(120, 2), run(160, 3)], 'node-http': [run(100, 1), run(100, 2), run(80, 3)] },
    json: { armature: [run(100, 1), run(100, 2), run(100, 3)], 'node-http': [run(100, 1), run(100, 2), run(100, 3)] },
  };
  const options = { fw: 'armature', reference: 'node-http', tests: ['plaintext', 'json'], threshold: 0.15 };

  it('takes the median of the ratios measured in the same round', () => {
    const { checks } = report.gateCheck(runs, { ...options, baseline: { plaintext: 1.5, json: 1 } });
    assert.deepEqual(checks[0], { test: 'plaintext', ratio: 1.5, rounds: [1.5, 1.2, 2], baseline: 1.5, floor: 1.275, ok: true });
  });

  it('fails a test more than the threshold below its baseline, and every test without one', () => {
    const below = report.gateCheck(runs, { ...options, baseline: { plaintext: 1.5, json: 1.2 } });
    assert.equal(below.ok, false);
    assert.deepEqual(below.checks.map((c) => c.ok), [true, false]); // 1.00 < 1.2 × 0.85 = 1.02
    assert.equal(report.gateCheck(runs, { ...options, baseline: { plaintext: 1.5, json: 1.17 } }).ok, true); // floor 0.9945
    assert.equal(report.gateCheck(runs, { ...options, baseline: undefined }).ok, false);
  });
});

describe('pinDatabase (benches/lib/pin-db.mjs): where it leaves PostgreSQL alone', async () => {
  // Only the cases that change nothing are exercised here: pinning a real server would change
  // the machine's PostgreSQL for whatever else runs (bench:compare does it, and restores it).
  const { pinDatabase } = (await import(new URL('pin-db.mjs', lib).href)) as { pinDatabase(url: string, core?: string): string };

  it('DB_CORE=none (or empty) leaves it alone', () => {
    assert.equal(pinDatabase('postgres://postgres@127.0.0.1:5432/test', 'none'), 'PostgreSQL not pinned (DB_CORE=none)');
    assert.equal(pinDatabase('postgres://postgres@127.0.0.1:5432/test', ''), 'PostgreSQL not pinned (DB_CORE=none)');
  });

  it('a database on another host, or a URL that is not one, is not touched', () => {
    assert.equal(pinDatabase('postgres://postgres@db.internal:5432/test', '1'), 'PostgreSQL not pinned (db.internal is not this machine)');
    assert.equal(pinDatabase('not a url', '1'), 'PostgreSQL not pinned (DATABASE_URL is not a URL)');
  });

  it('a core that is not a number is refused by name', () => {
    assert.throws(() => pinDatabase('postgres://postgres@127.0.0.1:5432/test', 'two'), /DB_CORE must be a core number or "none", not "two"/);
  });
});
