import { Controller, Get, Post, type Ctx } from '@armature/core';
import { baselineSum } from '../rules.js';

/** baseline, short-lived, pipelined, baseline-h2 / -h2c: sums of query parameters and a body. */
@Controller()
export class BaselineController {
  @Get('/baseline11')
  sum(ctx: Ctx) {
    return String(baselineSum(ctx.query.a, ctx.query.b));
  }

  /** The body is a number in any content type (HttpArena's clients send text/plain or none). */
  @Post('/baseline11', { bodyLimit: 4096 })
  async sumWithBody(ctx: Ctx) {
    return String(baselineSum(ctx.query.a, ctx.query.b, await ctx.text({ type: '*/*' })));
  }

  @Get('/baseline2')
  sumOverH2(ctx: Ctx) {
    return String(baselineSum(ctx.query.a, ctx.query.b));
  }

  @Get('/pipeline')
  pipeline() {
    return 'ok';
  }
}
