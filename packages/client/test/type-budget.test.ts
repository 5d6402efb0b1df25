// The type checker's cost of the client stays bounded on a large app (large-app.fixture.ts: 200
// routes in one chain, Zod schemas on half of them): a file making 80 client calls may cost at
// most BUDGET times the instantiations of a baseline file that uses the same app without the
// client, checked in the same run. Instantiations are deterministic; check time is measured by
// `npm run bench:client-types` (benches/client), not here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CALLS, ROUTES, check, withLargeApp } from './large-app.fixture.js';

/** Client file / baseline file, in type instantiations. */
const BUDGET = 2;

test(`a client of a ${ROUTES}-route app type-checks within ${BUDGET}x the instantiations of the baseline file`, { timeout: 300_000 }, () => {
  withLargeApp((dir) => {
    const baseline = check(join(dir, 'baseline.ts'));
    const client = check(join(dir, 'client.ts'));
    assert.deepEqual(baseline.diagnostics, []);
    assert.deepEqual(client.diagnostics, []);
    assert.ok(baseline.instantiations > 10_000, 'the checker reports its instantiations');
    const ratio = client.instantiations / baseline.instantiations;
    console.log(`# ${ROUTES}-route app: baseline file ${baseline.instantiations} instantiations, client file (${CALLS * 2} calls) ${client.instantiations}: ${ratio.toFixed(2)}x (budget ${BUDGET}x)`);
    assert.ok(ratio <= BUDGET, `the client file costs ${ratio.toFixed(2)}x the baseline's instantiations (budget ${BUDGET}x)`);
  });
});
