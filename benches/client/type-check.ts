// The type checker's cost of typed clients on a 200-route app, as ratios against a baseline file
// that uses the same app without its client, checked in the same process (interleaved, median of
// ROUNDS; the machine is shared, so times are noisy — instantiations are exact):
//   armature  packages/client/test/large-app.fixture.ts: Zod schemas on half the routes, 80 calls
//   plain     200 plain routes, 80 calls: Armature's createClient against Hono's hc, each app
//             chained the way its client needs
//   npm run bench:client-types   → prints, writes benches/client/results-type-check.json
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, withLargeApp } from '../../packages/client/test/large-app.fixture.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function plain(framework: 'armature' | 'hono'): Record<string, string> {
  const routes: string[] = [];
  const calls: string[] = [];
  const uses: string[] = [];
  for (let i = 0; i < 200; i++) {
    routes.push(framework === 'armature'
      ? `  .get('/r${i}/:id', (ctx) => ({ id: ctx.params.id, n: ${i} }))`
      : `  .get('/r${i}/:id', (c) => c.json({ id: c.req.param('id'), n: ${i} }))`);
  }
  for (let c = 0; c < 80; c++) {
    const i = (c * 37) % 200;
    calls.push(framework === 'armature'
      ? `  const a${c} = await client.get('/r${i}/:id', { params: { id: ${c} } }); const n${c}: number = a${c}.n; void n${c};`
      : `  const a${c} = await (await client.r${i}[':id'].$get({ param: { id: '${c}' } })).json(); const n${c}: number = a${c}.n; void n${c};`);
    uses.push(framework === 'armature'
      ? `  const a${c} = await api.inject('/r${i}/${c}'); const s${c}: number = a${c}.statusCode; void s${c};`
      : `  const a${c} = await api.request('/r${i}/${c}'); const s${c}: number = a${c}.status; void s${c};`);
  }
  const app = framework === 'armature'
    ? `import { createApp } from '@armature/core';\nexport const api = createApp()\n${routes.join('\n')};\n`
    : `import { Hono } from 'hono';\nexport const api = new Hono()\n${routes.join('\n')};\n`;
  const client = framework === 'armature'
    ? `import { createClient } from '@armature/client';\nimport type { api } from './${framework}-app.js';\nconst client = createClient<typeof api>('http://localhost');\nexport async function main(): Promise<void> {\n${calls.join('\n')}\n}\n`
    : `import { hc } from 'hono/client';\nimport type { api } from './${framework}-app.js';\nconst client = hc<typeof api>('http://localhost');\nexport async function main(): Promise<void> {\n${calls.join('\n')}\n}\n`;
  const baseline = `import { api } from './${framework}-app.js';\nexport async function main(): Promise<void> {\n${uses.join('\n')}\n}\n`;
  return { [`${framework}-app.ts`]: app, [`${framework}-client.ts`]: client, [`${framework}-baseline.ts`]: baseline };
}

function compare(dir: string, baselineFile: string, clientFile: string) {
  const base = [];
  const client = [];
  for (let r = 0; r < ROUNDS; r++) {
    base.push(check(join(dir, baselineFile)));
    client.push(check(join(dir, clientFile)));
  }
  for (const m of [base[0]!, client[0]!]) if (m.diagnostics.length > 0) throw new Error(`type errors: ${m.diagnostics.slice(0, 3).join('; ')}`);
  const baseMs = median(base.map((m) => m.ms));
  const clientMs = median(client.map((m) => m.ms));
  return {
    baseline: { ms: Math.round(baseMs), instantiations: base[0]!.instantiations },
    client: { ms: Math.round(clientMs), instantiations: client[0]!.instantiations },
    ratio: { time: +(clientMs / baseMs).toFixed(2), instantiations: +(client[0]!.instantiations / base[0]!.instantiations).toFixed(2) },
  };
}

const results = withLargeApp((dir) => {
  const out: Record<string, unknown> = { armature: compare(dir, 'baseline.ts', 'client.ts') };
  for (const framework of ['armature', 'hono'] as const) {
    for (const [name, text] of Object.entries(plain(framework))) writeFileSync(join(dir, name), text);
    out[`plain-${framework}`] = compare(dir, `${framework}-baseline.ts`, `${framework}-client.ts`);
  }
  return out;
});
console.log(JSON.stringify(results, null, 2));
writeFileSync(fileURLToPath(new URL('results-type-check.json', import.meta.url)), JSON.stringify({ node: process.version, rounds: ROUNDS, shared: true, ...results }, null, 2) + '\n');
