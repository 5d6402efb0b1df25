// src/flame/cpuprofile.ts and frames.ts (the renderer of `npm run flame` and of the profiling endpoint): V8 CPU profiles folded into stacks, frame labels,
// the load window, and the self-time summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldCpuProfile, formatFolded, frameLabel, parseFolded, shortenUrl, type CpuProfile } from '../src/flame/cpuprofile.js';
import { frameCategory, summarize } from '../src/flame/frames.js';

const ROOT = '/work/app';
const frame = (functionName: string, url = '', lineNumber = -1) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '0' });

/**
 * (root) ─┬─ onData (engine/connection.js:80) ─┬─ parseHeadAt (engine/parser.js:100)
 *         │                                    └─ handle (route.js in a dependency)
 *         ├─ (garbage collector)
 *         └─ (idle)
 */
function profile(samples: number[], timeDeltas: number[]): CpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
      { id: 2, callFrame: frame('onData', `file://${ROOT}/packages/core/dist/engine/connection.js`, 79), children: [3, 4] },
      { id: 3, callFrame: frame('parseHeadAt', `file://${ROOT}/packages/core/dist/engine/parser.js`, 99) },
      { id: 4, callFrame: frame('', `file://${ROOT}/node_modules/fastify/lib/route.js`, 9) },
      { id: 5, callFrame: frame('(garbage collector)') },
      { id: 6, callFrame: frame('(idle)') },
    ],
    startTime: 1000,
    endTime: 1000 + timeDeltas.reduce((a, b) => a + b, 0),
    samples,
    timeDeltas,
  };
}

const ENGINE = 'onData packages/core/dist/engine/connection.js:80';
const PARSER = 'parseHeadAt packages/core/dist/engine/parser.js:100';
const DEP = '(anonymous) fastify/lib/route.js:10';

test('frame labels: name, short location and 1-based line; V8 entries by name alone', () => {
  assert.equal(frameLabel(frame('parse', `file://${ROOT}/src/a.js`, 4), ROOT), 'parse src/a.js:5');
  assert.equal(frameLabel(frame('', 'node:internal/streams/readable', 549)), '(anonymous) node:internal/streams/readable:550');
  assert.equal(frameLabel(frame('(garbage collector)')), '(garbage collector)');
  assert.equal(frameLabel(frame('writev')), 'writev');
  assert.equal(frameLabel(frame('a;b', '/x/y.js', 0)), 'a:b /x/y.js:1', "';' would split the stack");
  assert.equal(shortenUrl(`file://${ROOT}/node_modules/.pnpm/x/node_modules/pg/lib/q.js`, ROOT), 'pg/lib/q.js');
  assert.equal(shortenUrl('file:///elsewhere/my%20app/m.js', ROOT), '/elsewhere/my app/m.js');
});

test('folds samples into root-first stacks and counts each; (root) itself is left out', () => {
  const r = foldCpuProfile(profile([3, 3, 2, 4, 5, 6, 1, 3], [0, 10, 10, 10, 10, 10, 10, 10]), { root: ROOT });
  assert.deepEqual(Object.fromEntries(r.stacks), {
    [`${ENGINE};${PARSER}`]: 3,
    [ENGINE]: 1,
    [`${ENGINE};${DEP}`]: 1,
    '(garbage collector)': 1,
    '(idle)': 1,
  });
  assert.equal(r.samples, 7);
  assert.equal(r.profileSamples, 8);
  assert.equal(r.durationUs, 70);
});

test('only the samples inside [from, to] are kept (timestamps are startTime plus the running sum of deltas)', () => {
  // timestamps: 1000, 1100, 1200, 1300, 1400
  const p = profile([2, 3, 3, 4, 6], [0, 100, 100, 100, 100]);
  const r = foldCpuProfile(p, { root: ROOT, from: 1100, to: 1300 });
  assert.deepEqual(Object.fromEntries(r.stacks), { [`${ENGINE};${PARSER}`]: 2, [`${ENGINE};${DEP}`]: 1 });
  assert.equal(r.durationUs, 200);
  assert.equal(foldCpuProfile(p, { from: 5000 }).samples, 0);
});

test('parent links work as well as children lists, and an unknown sample id is an error', () => {
  const p: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)') },
      { id: 2, callFrame: frame('main', '/m.js', 0), parent: 1 },
      { id: 3, callFrame: frame('leaf', '/m.js', 5), parent: 2 },
    ],
    startTime: 0,
    endTime: 2,
    samples: [3, 3],
    timeDeltas: [1, 1],
  };
  assert.deepEqual(Object.fromEntries(foldCpuProfile(p).stacks), { 'main /m.js:1;leaf /m.js:6': 2 });
  assert.throws(() => foldCpuProfile({ ...p, samples: [9] }), /unknown node 9/);
});

test('folded text round-trips, sorted, with counts after the last space', () => {
  const stacks = new Map([['b x.js:1;c', 2], ['a y.js:3', 5]]);
  const text = formatFolded(stacks);
  assert.equal(text, 'a y.js:3 5\nb x.js:1;c 2\n');
  assert.deepEqual(parseFolded(text), new Map([['a y.js:3', 5], ['b x.js:1;c', 2]]));
  assert.throws(() => parseFolded('a b c\n'), /without a count/);
});

test('frame categories and the self-time summary', () => {
  assert.equal(frameCategory(PARSER), 'engine');
  assert.equal(frameCategory('compose packages/core/dist/app/pipeline.js:3'), 'armature');
  // installed from npm: shortenUrl leaves the package path
  assert.equal(frameCategory('parseHeadAt @armature/core/dist/engine/parser.js:98'), 'engine');
  assert.equal(frameCategory('compose @armature/core/dist/app/compose.js:3'), 'armature');
  assert.equal(frameCategory('handler benches/techempower/armature.ts:7'), 'app');
  assert.equal(frameCategory(DEP), 'deps');
  assert.equal(frameCategory('emit node:events:517'), 'node');
  assert.equal(frameCategory('writeLatin1String'), 'native');
  assert.equal(frameCategory('tcp_sendmsg [kernel]'), 'kernel');
  assert.equal(frameCategory('uv_run [native]'), 'native');
  assert.equal(frameCategory('(garbage collector)'), 'gc');
  assert.equal(frameCategory('(idle)'), 'idle');
  assert.equal(frameCategory('(program)'), 'program');

  const r = foldCpuProfile(profile([3, 3, 2, 4, 5, 6, 1, 3], [0, 10, 10, 10, 10, 10, 10, 10]), { root: ROOT });
  const s = summarize(r.stacks, 2);
  assert.equal(s.samples, 7);
  assert.deepEqual(s.top, [{ frame: PARSER, samples: 3, share: 3 / 7 }, { frame: ENGINE, samples: 1, share: 1 / 7 }]);
  assert.equal(s.categories.engine, 4 / 7);
  assert.equal(s.categories.deps, 1 / 7);
  assert.equal(s.categories.gc, 1 / 7);
  assert.equal(s.categories.kernel, 0);
});
