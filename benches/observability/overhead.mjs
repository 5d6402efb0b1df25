#!/usr/bin/env node
// What observability costs per request on the JSON test: server CPU time per request with each
// feature against the same app without any (rounds interleaved in one run, median of the rounds).
// The budget: logging (to /dev/null) plus metrics at most 10% more CPU per request.
// Server pinned to core 0, wrk to core 1, 100 connections, 127.0.0.1 only.
//   npm run bench:observability       env: ROUNDS=5 DURATION=4 FEATURES=logger,metrics,logger+metrics,…
import { join } from 'node:path';
import { envList, envNumber, requireWrk, root } from '../lib/load.mjs';
import { measureOverhead, overheadTable } from '../lib/overhead.mjs';

requireWrk();
const rounds = envNumber('ROUNDS', 5);
const duration = envNumber('DURATION', 4);
const variants = ['none', ...envList('FEATURES', ['logger', 'logger-unbuffered', 'logger-pino-format', 'metrics', 'logger+metrics', 'logger-unbuffered+metrics', 'context', 'tracing', 'tracing-sdk', 'context+logger+metrics+tracing'])];
const figures = await measureOverhead({ server: join(root, 'benches/observability/server.ts'), variable: 'FEATURES', variants, rounds, duration });
console.log(`\nJSON test, median of ${rounds} rounds × ${duration} s, 100 connections, server on core 0, wrk on core 1 (${new Date().toISOString()}, Node ${process.version})\n`);
console.log(overheadTable(figures, 'features', 'none'));
for (const f of figures.filter((x) => x.variant.includes('logger') && x.variant.includes('metrics'))) {
  console.log(`${f.variant}: ${((f.ratio - 1) * 100).toFixed(1)}% more CPU per request than none (budget for logging + metrics: 10%)`);
}
