#!/usr/bin/env node
// PORT=8080 FRAMEWORK=<armature|fastify|node-http> npm run tfb — starts one TechEmpower app, single process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const framework = process.env.FRAMEWORK ?? 'armature';
const file = new URL(`../benches/techempower/${framework}.ts`, import.meta.url).pathname;
if (!existsSync(file)) {
  console.error(`Unknown FRAMEWORK "${framework}" (no ${file})`);
  process.exit(2);
}
const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit', env: process.env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
