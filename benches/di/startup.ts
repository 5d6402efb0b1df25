// Start-up time of an application with 50 controllers and 500 routes (each controller injects a
// service of its own and a shared one), from Armature.create() to a ready app. Every sample is a
// fresh process (a cold start, as in production); the median of SAMPLES (7) is reported.
//   npx tsx benches/di/startup.ts        → prints, writes benches/di/results-startup.json
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Armature, Controller, Get, Injectable, Module, Post, inject, type Class, type Ctx } from '../../packages/core/src/di/index.js';

const CONTROLLERS = 50;

@Injectable()
class Shared {
  hits = 0;
}

/** Controller `i`: 10 routes under /c{i}, a service of its own, the shared one. */
function makeFeature(i: number): { controller: Class; service: Class } {
  @Injectable()
  class Service {
    private shared = inject(Shared);
    get(id: string) {
      this.shared.hits++;
      return { i, id };
    }
  }
  @Controller(`/c${i}`)
  class FeatureController {
    private service = inject(Service);
    @Get() list() { return [i]; }
    @Get('/:id') show(ctx: Ctx<'/:id'>) { return this.service.get(ctx.params.id); }
    @Post() create() { return { created: i }; }
    @Get('/:id/a') a(ctx: Ctx<'/:id'>) { return this.service.get(ctx.params.id); }
    @Get('/:id/b') b(ctx: Ctx<'/:id'>) { return this.service.get(ctx.params.id); }
    @Get('/:id/c') c(ctx: Ctx<'/:id'>) { return this.service.get(ctx.params.id); }
    @Get('/static/d') d() { return 'd'; }
    @Get('/static/e') e() { return 'e'; }
    @Get('/static/f') f() { return 'f'; }
    @Get('/files/*') files(ctx: Ctx<'/files/*'>) { return ctx.params['*']; }
  }
  return { controller: FeatureController, service: Service };
}

async function sample(): Promise<{ defineMs: number; createMs: number; totalMs: number; routes: number }> {
  const t0 = performance.now();
  const features = Array.from({ length: CONTROLLERS }, (_, i) => makeFeature(i));
  @Module({ controllers: features.map((f) => f.controller), providers: [Shared, ...features.map((f) => f.service)] })
  class AppModule {}
  const t1 = performance.now();
  const app = await Armature.create(AppModule);
  await app.ready();
  const t2 = performance.now();
  const check = await app.inject('/c49/7/c');
  if (check.statusCode !== 200 || app.routeCount !== CONTROLLERS * 10) throw new Error(`unexpected: ${check.statusCode} ${app.routeCount}`);
  return { defineMs: t1 - t0, createMs: t2 - t1, totalMs: t2 - t0, routes: app.routeCount };
}

if (process.argv.includes('--sample')) {
  console.log(JSON.stringify(await sample()));
} else {
  const samples = Number(process.env.SAMPLES ?? 7);
  const file = fileURLToPath(import.meta.url);
  const results: Array<{ defineMs: number; createMs: number; totalMs: number; routes: number }> = [];
  for (let i = 0; i < samples; i++) {
    const out = spawnSync(process.execPath, ['--import', 'tsx', file, '--sample'], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(out.stderr);
    results.push(JSON.parse(out.stdout.trim().split('\n').at(-1)!));
  }
  const med = (k: 'defineMs' | 'createMs' | 'totalMs') => results.map((r) => r[k]).sort((a, b) => a - b)[results.length >> 1]!;
  const summary = { date: new Date().toISOString(), node: process.version, controllers: CONTROLLERS, routes: results[0]!.routes, samples, defineMs: med('defineMs'), createMs: med('createMs'), totalMs: med('totalMs'), all: results };
  console.log(`${CONTROLLERS} controllers, ${summary.routes} routes, median of ${samples} cold starts (Node ${process.version}):`);
  console.log(`  defining the classes (decorators)   ${summary.defineMs.toFixed(1)} ms`);
  console.log(`  Armature.create() → ready()         ${summary.createMs.toFixed(1)} ms`);
  console.log(`  total                               ${summary.totalMs.toFixed(1)} ms`);
  writeFileSync(new URL('./results-startup.json', import.meta.url), JSON.stringify(summary, null, 2) + '\n');
}
