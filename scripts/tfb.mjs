#!/usr/bin/env node
// PORT=8080 FRAMEWORK=<name> npm run tfb — starts one TechEmpower app, single process.
// Every app but node-http serves the seven test types (benches/database/README.md).
import { spawn } from 'node:child_process';

const FRAMEWORKS = ['armature', 'fastify', 'express', 'hono', 'nestjs', 'node-http'];
// armature-db: the former name of the Armature app (armature.ts serves every test type now).
const ALIASES = { 'armature-db': 'armature' };

const requested = process.env.FRAMEWORK ?? 'armature';
const framework = ALIASES[requested] ?? requested;
if (!FRAMEWORKS.includes(framework)) {
  console.error(`Unknown FRAMEWORK "${requested}": one of ${FRAMEWORKS.join(', ')}`);
  process.exit(2);
}
// nestjs.ts loads the NestJS app with its own tsconfig (legacy decorators).
const file = new URL(`../benches/techempower/${framework}.ts`, import.meta.url).pathname;
const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit', env: process.env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
