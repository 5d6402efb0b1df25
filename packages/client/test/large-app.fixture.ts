/**
 * A large app for measuring the type checker's cost of the client (the type-budget test and
 * `npm run bench:client-types`): 200 routes in one chain of registrations, Zod schemas on half
 * of them; a file using its client (80 calls); a baseline file using the same app without the
 * client (80 `inject` calls); and a check of one file that reports time and instantiations.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROUTES = 200;
export const CALLS = 40;


function appSource(): string {
  const lines = [
    "import { createApp } from '@armature/core';",
    "import { z } from 'zod';",
    'const Item = z.object({ id: z.number(), name: z.string(), tags: z.array(z.string()) });',
    'export const api = createApp()',
  ];
  for (let i = 0; i < ROUTES; i++) {
    switch (i % 4) {
      case 0:
        lines.push(`  .get('/r${i}/:id', (ctx) => ({ id: ctx.params.id, n: ${i}, at: new Date() }))`);
        break;
      case 1:
        lines.push(`  .get('/r${i}', { schema: { query: z.object({ limit: z.coerce.number().optional(), q${i}: z.string().optional() }) } }, (ctx) => ({ items: [] as string[], limit: ctx.query.limit }))`);
        break;
      case 2:
        lines.push(`  .post('/r${i}', { schema: { body: z.object({ name: z.string(), v${i}: z.number() }), response: { 201: Item } } }, (ctx) => ({ id: ${i}, name: ctx.body.name, tags: [] }))`);
        break;
      default:
        lines.push(`  .put('/r${i}/:a/:b', async (ctx) => ({ a: ctx.params.a, b: ctx.params.b, ok: true as const }))`);
    }
  }
  lines[lines.length - 1] += ';';
  return lines.join('\n') + '\n';
}

function clientSource(): string {
  const lines = ["import { createClient } from '@armature/client';", "import type { api } from './app.js';", "const client = createClient<typeof api>('http://localhost:3000');", 'export async function main(): Promise<void> {'];
  for (let c = 0; c < CALLS; c++) {
    const i = (c * 37) % ROUTES; // spread over the table
    const r = i - (i % 4);
    lines.push(`  const a${c} = await client.get('/r${r}/:id', { params: { id: ${c} } }); const n${c}: number = a${c}.n; void n${c};`);
    lines.push(`  const b${c} = await client.post('/r${r + 2}', { body: { name: 'x', v${r + 2}: 1 } }); const t${c}: string[] = b${c}.tags; void t${c};`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

function baselineSource(): string {
  const lines = ["import { api } from './app.js';", 'export async function main(): Promise<void> {'];
  for (let c = 0; c < CALLS; c++) {
    const i = (c * 37) % ROUTES;
    const r = i - (i % 4);
    lines.push(`  const a${c} = await api.inject('/r${r}/${c}'); const s${c}: number = a${c}.statusCode; void s${c};`);
    lines.push(`  const b${c} = await api.inject({ method: 'POST', url: '/r${r + 2}', body: { name: 'x' } }); const j${c}: unknown = b${c}.json(); void j${c};`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

export interface Measure {
  ms: number;
  instantiations: number;
  diagnostics: string[];
}

const OPTIONS: ts.CompilerOptions = {
  strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2023.d.ts'], types: ['node'], skipLibCheck: true,
};

export function check(file: string): Measure {
  const program = ts.createProgram([file], OPTIONS);
  const start = process.hrtime.bigint();
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const checker = program.getTypeChecker() as ts.TypeChecker & { getInstantiationCount?: () => number };
  return { ms, instantiations: checker.getInstantiationCount?.() ?? 0, diagnostics };
}


/** Writes the three files into a fresh directory under node_modules/.cache (so that packages resolve); `run` gets it, then it is removed. */
export function withLargeApp<T>(run: (dir: string) => T): T {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'armature-type-budget-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'app.ts'), appSource());
    writeFileSync(join(dir, 'client.ts'), clientSource());
    writeFileSync(join(dir, 'baseline.ts'), baselineSource());
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
