// TechEmpower test types on Armature (single process), written the way an Armature application
// would be: a module, DI, a controller. plaintext and json need no database (the pool connects on
// the first query; the World cache is loaded at start-up when PostgreSQL is reachable, else on
// the first /cached-queries request).
// Prepare the database: npx tsx benches/database/setup.ts
// Run: PORT=8080 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx benches/techempower/armature.ts
import { pathToFileURL } from 'node:url';
import {
  Armature,
  Controller,
  Get,
  Injectable,
  Module,
  inject,
  type ArmatureOptions,
  type Ctx,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@armature/core';
import { HELLO, HTML_TYPE, JSON_TYPE, TEXT_TYPE, TfbDatabase, WorldCache, parseCount, randomId, renderFortunes } from './shared.js';
import { announce, listenHost, listenPort } from './runtime.js';

/** Starts loading the World cache once the app is up; ends the pool once the server has drained. */
@Injectable()
class DatabaseLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly db = inject(TfbDatabase);
  private readonly cache = inject(WorldCache);

  onApplicationBootstrap() {
    this.cache.warm();
  }

  onModuleDestroy() {
    return this.db.end();
  }
}

/** Response schemas, as a Fastify user declares them: each compiles into a serializer at start-up. */
const WORLD = {
  type: 'object',
  properties: { id: { type: 'integer' }, randomNumber: { type: 'integer' } },
  required: ['id', 'randomNumber'],
} as const;
const ONE_WORLD = { schema: { response: { 200: WORLD } } } as const;
const WORLDS = { schema: { response: { 200: { type: 'array', items: WORLD } } } } as const;
const MESSAGE = { schema: { response: { 200: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] } } } } as const;

@Controller()
export class TfbController {
  private readonly database = inject(TfbDatabase);
  private readonly cache = inject(WorldCache);

  @Get('/plaintext')
  plaintext(ctx: Ctx) {
    ctx.res.setHeader('Content-Type', TEXT_TYPE);
    return HELLO;
  }

  @Get('/json', MESSAGE)
  json(ctx: Ctx) {
    ctx.res.setHeader('Content-Type', JSON_TYPE);
    return { message: HELLO };
  }

  @Get('/db', ONE_WORLD)
  db(ctx: Ctx) {
    ctx.res.setHeader('Content-Type', JSON_TYPE);
    return this.database.world(randomId());
  }

  @Get('/queries', WORLDS)
  queries(ctx: Ctx) {
    ctx.res.setHeader('Content-Type', JSON_TYPE);
    return this.database.randomWorlds(parseCount(ctx.query.queries));
  }

  @Get('/fortunes')
  async fortunes(ctx: Ctx) {
    const html = renderFortunes(await this.database.fortunes());
    ctx.res.setHeader('Content-Type', HTML_TYPE);
    return html;
  }

  @Get('/updates', WORLDS)
  updates(ctx: Ctx) {
    ctx.res.setHeader('Content-Type', JSON_TYPE);
    return this.database.updateRandomWorlds(parseCount(ctx.query.queries));
  }

  @Get('/cached-queries', WORLDS)
  cachedQueries(ctx: Ctx) {
    ctx.res.setHeader('Content-Type', JSON_TYPE);
    return this.cache.sample(parseCount(ctx.query.count));
  }
}

@Module({
  controllers: [TfbController],
  providers: [
    { provide: TfbDatabase, useFactory: () => new TfbDatabase() },
    { provide: WorldCache, useFactory: (db: TfbDatabase) => new WorldCache(db), inject: [TfbDatabase] },
    DatabaseLifecycle,
  ],
})
export class AppModule {}

/** Builds the application without listening (tests may call inject(); run directly, it listens). */
export function createTfbApp(options: ArmatureOptions = {}): Promise<Armature> {
  return Armature.create(AppModule, { serverName: 'Armature', ...options });
}

/** Listens on PORT / HOST; listen() installs the SIGTERM / SIGINT handlers: drain, end the pool, exit 0. */
export async function serveTfbApp(): Promise<Armature> {
  const app = await createTfbApp();
  const { port } = await app.listen({ port: listenPort(), host: listenHost() });
  announce('armature', port);
  return app;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await serveTfbApp();
