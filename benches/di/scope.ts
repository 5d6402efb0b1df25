// What request scope costs, in process: the compiled route handlers of three controllers are
// called directly (no HTTP), so the figures are the DI layer's own cost per request.
//   singleton   the controller is created once; the handler is its bound method
//   request     the controller injects a request-scoped RequestInfo (which injects REQUEST),
//               so a controller and a RequestInfo are created per request
//   request+3   the same plus three singleton services injected by the controller
// Median of 7 runs of 1,000,000 calls each. Run by scope.mjs (under tsx and as tsc output), or
// alone: npx tsx benches/di/scope.ts
import { createApp } from '../../packages/core/src/index.js';
import { Armature, Controller, Get, Injectable, Module, REQUEST, Scope, inject, type Ctx } from '../../packages/core/src/di/index.js';

@Injectable() class A { v = 1; }
@Injectable() class B { v = 2; }
@Injectable() class C { v = 3; }
@Injectable({ scope: Scope.Request }) class RequestInfo { ctx = inject(REQUEST); }

@Controller('/singleton') class SingletonController {
  private a = inject(A);
  @Get('/:id') show(ctx: Ctx<'/:id'>) { return this.a.v + ctx.params.id.length; }
}
@Controller('/request') class RequestController {
  private info = inject(RequestInfo);
  @Get('/:id') show(ctx: Ctx<'/:id'>) { return (this.info.ctx === ctx ? 1 : 0) + ctx.params.id.length; }
}
@Controller('/request3') class Request3Controller {
  private a = inject(A);
  private b = inject(B);
  private c = inject(C);
  private info = inject(RequestInfo);
  @Get('/:id') show(ctx: Ctx<'/:id'>) { return this.a.v + this.b.v + this.c.v + (this.info.ctx === ctx ? 1 : 0) + ctx.params.id.length; }
}
@Module({ controllers: [SingletonController, RequestController, Request3Controller], providers: [A, B, C, RequestInfo] })
class AppModule {}

// capture the handlers the controllers compile into
const handlers = new Map<string, (ctx: unknown) => unknown>();
const app = createApp();
const route = app.route.bind(app) as (...args: unknown[]) => unknown;
(app as unknown as { route: (...args: unknown[]) => unknown }).route = (...args) => {
  handlers.set(String(args[1]).split('/')[1]!, args.at(-1) as (ctx: unknown) => unknown);
  return route(...args);
};
await Armature.create(AppModule, { app });

const N = 1_000_000;
const ctxs = Array.from({ length: 64 }, (_, i) => ({ params: { id: String(i) } }));
function run(handler: (ctx: unknown) => unknown): number {
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) sink += handler(ctxs[i & 63]) as number;
  const ns = Number(process.hrtime.bigint() - t0) / N;
  if (sink === 0) console.log('');
  return ns;
}
const names = ['singleton', 'request', 'request3'];
const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
for (const n of names) run(handlers.get(n)!); // warm-up
for (let r = 0; r < 7; r++) for (const n of names) samples[n]!.push(run(handlers.get(n)!));
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const ns = Object.fromEntries(names.map((n) => [n, med(samples[n]!)]));
console.log(`DI cost per request, compiled handler called directly (Node ${process.version}), median of 7 × ${N.toLocaleString('en-US')}:`);
console.log(`  singleton controller                         ${ns.singleton!.toFixed(1)} ns`);
console.log(`  request-scoped (controller + RequestInfo)    ${ns.request!.toFixed(1)} ns  (+${(ns.request! - ns.singleton!).toFixed(1)} ns)`);
console.log(`  request-scoped, 3 more singleton injections  ${ns.request3!.toFixed(1)} ns  (+${(ns.request3! - ns.singleton!).toFixed(1)} ns)`);
console.log(`JSON ${JSON.stringify({ node: process.version, calls: N, nsPerCall: ns, samples })}`);
