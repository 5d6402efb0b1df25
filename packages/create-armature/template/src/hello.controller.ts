/** A controller: routes under /hello. Strings are sent as text/plain, objects as JSON. */
import { Controller, Get, inject, type Ctx } from '@armature/core';
import { HelloService } from './hello.service.js';

@Controller('/hello')
export class HelloController {
  private readonly hello = inject(HelloService);

  /** GET /hello?name=Ada */
  @Get()
  index(ctx: Ctx) {
    const name = ctx.query.name;
    return this.hello.greet(typeof name === 'string' && name !== '' ? name : undefined);
  }

  /** GET /hello/Ada */
  @Get('/:name')
  show(ctx: Ctx<'/:name'>) {
    return { message: this.hello.greet(ctx.params.name) };
  }
}
