// benches/flame/perf.ts: `perf script` output folded with the V8 profile's frame labels, and the
// perf map reduced to its newest entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldPerfScript, newestPerfMap, perfFrameLabel } from '../flame/perf.js';

const ROOT = '/work/app';
const MAP = '/tmp/perf-4242.map';

test('frame labels: JavaScript from the perf map, V8 builtins, native code, the kernel', () => {
  assert.equal(perfFrameLabel(`JS:*parseHeadAt file://${ROOT}/packages/core/dist/engine/parser.js:97:29`, MAP, ROOT), 'parseHeadAt packages/core/dist/engine/parser.js:97');
  assert.equal(perfFrameLabel('LazyCompile:~emit node:events:517', MAP), 'emit node:events:517');
  assert.equal(perfFrameLabel('JS:^ node:internal/streams/readable:550:3', MAP), '(anonymous) node:internal/streams/readable:550');
  assert.equal(perfFrameLabel('Builtin:ArrayPrototypePush', MAP), 'Builtin:ArrayPrototypePush');
  assert.equal(perfFrameLabel('uv_run+0x1c4', '/usr/bin/node'), 'uv_run [native]');
  assert.equal(perfFrameLabel('[unknown]', '/usr/lib/x86_64-linux-gnu/libc.so.6'), '[unknown in libc.so.6] [native]');
  assert.equal(perfFrameLabel('tcp_sendmsg+0x2c', '[kernel.kallsyms]'), 'tcp_sendmsg [kernel]');
  assert.equal(perfFrameLabel('f<a;b>', '/usr/bin/node'), 'f<a:b> [native]');
});

test('perf script samples fold leaf-last, under their thread', () => {
  const text = [
    'node 4242 [000]   432.205455:    1001001 cpu-clock:ppp: ',
    '\tffffffff8160 tcp_sendmsg+0x2c ([kernel.kallsyms])',
    `\t    7f00aa JS:*flush file://${ROOT}/packages/core/dist/engine/connection.js:348:5 (${MAP})`,
    '\t    79d748 uv_run+0x1c4 (/usr/bin/node)',
    '',
    'node 4242 [000]   432.206455:    1001001 cpu-clock:ppp: ',
    `\t    7f00aa JS:*flush file://${ROOT}/packages/core/dist/engine/connection.js:348:5 (${MAP})`,
    '\t    79d748 uv_run+0x1c4 (/usr/bin/node)',
    '',
    'V8 DefaultWorke 4250 [000]   432.207455:    1001001 cpu-clock:ppp: ',
    '\t    8a0000 v8::internal::Heap::Scavenge() (/usr/bin/node)',
    '',
  ].join('\n');
  const flush = 'flush packages/core/dist/engine/connection.js:348';
  assert.deepEqual(Object.fromEntries(foldPerfScript(text, ROOT)), {
    [`node;uv_run [native];${flush};tcp_sendmsg [kernel]`]: 1,
    [`node;uv_run [native];${flush}`]: 1,
    'V8 DefaultWorke;v8::internal::Heap::Scavenge() [native]': 1,
  });
});

test('the perf map keeps the newest of overlapping entries', () => {
  const map = [
    '1000 100 JS:~old a.js:1', // replaced by "new", which covers part of it
    '2000 10 Builtin:Keep',
    '1080 40 JS:*new b.js:2',
    '3000 20 JS:~first c.js:3',
    '3000 20 JS:*second c.js:3', // same range, compiled again
    '',
  ].join('\n');
  assert.equal(newestPerfMap(map), '1080 40 JS:*new b.js:2\n2000 10 Builtin:Keep\n3000 20 JS:*second c.js:3\n');
});
