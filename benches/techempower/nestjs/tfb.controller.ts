import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { HELLO, HTML_TYPE, TEXT_TYPE } from '../shared.js';
import { CountPipe } from './count.pipe.js';
import { FortuneService, WorldService } from './tfb.service.js';

@Controller()
export class TfbController {
  constructor(
    @Inject(WorldService) private readonly worlds: WorldService,
    @Inject(FortuneService) private readonly fortuneService: FortuneService,
  ) {}

  @Get('plaintext')
  @Header('Content-Type', TEXT_TYPE)
  plaintext() {
    return HELLO;
  }

  @Get('json')
  json() {
    return { message: HELLO };
  }

  @Get('queries')
  queries(@Query('queries', CountPipe) count: number) {
    return this.worlds.many(count);
  }

  @Get('db')
  db() {
    return this.worlds.random();
  }

  @Get('updates')
  updates(@Query('queries', CountPipe) count: number) {
    return this.worlds.update(count);
  }

  @Get('fortunes')
  @Header('Content-Type', HTML_TYPE)
  fortunes() {
    return this.fortuneService.page();
  }

  @Get('cached-queries')
  cachedQueries(@Query('count', CountPipe) count: number) {
    return this.worlds.cached(count);
  }
}
