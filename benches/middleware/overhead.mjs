#!/usr/bin/env node
// What each middleware costs per request: the server's own CPU time per request (user + system
// from /proc/<pid>/stat divided by the requests wrk completed) on the JSON test, with one
// middleware against none, rounds interleaved in one run, median of the rounds.
// Server pinned to core 0, wrk to core 1, 100 connections, 127.0.0.1 only.
//   npm run bench:middleware        env: ROUNDS=5 DURATION=4 MIDDLEWARE=rate-limit,cors,…
import { join } from 'node:path';
import { envList, envNumber, requireWrk, root } from '../lib/load.mjs';
import { measureOverhead, overheadTable } from '../lib/overhead.mjs';

requireWrk();
const rounds = envNumber('ROUNDS', 5);
const duration = envNumber('DURATION', 4);
const variants = ['none', ...envList('MIDDLEWARE', ['rate-limit', 'cors', 'security-headers', 'request-id', 'etag', 'all'])];
const figures = await measureOverhead({ server: join(root, 'benches/middleware/server.ts'), variable: 'MIDDLEWARE', variants, rounds, duration });
console.log(`\nJSON test, median of ${rounds} rounds × ${duration} s, 100 connections, server on core 0, wrk on core 1 (${new Date().toISOString()}, Node ${process.version})\n`);
console.log(overheadTable(figures, 'middleware', 'none'));
