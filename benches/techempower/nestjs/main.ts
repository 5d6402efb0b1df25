// TechEmpower test types on NestJS with the Fastify adapter (single process). Started through
// ../nestjs.ts (legacy decorators, see tsconfig.json). tsx does not emit decorator metadata, so
// constructor parameters name their token with @Inject(). plaintext and json need no database.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { announce, listenHost, listenPort } from '../runtime.js';

const adapter = new FastifyAdapter();
// The Server header on every response, set in a Fastify hook (cheaper than a Nest middleware,
// which runs through @fastify/middie with the Fastify adapter).
adapter.getInstance().addHook('onRequest', (_req, reply, done) => {
  reply.header('Server', 'NestJS');
  done();
});

const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { logger: ['error', 'warn'] });
// On SIGTERM / SIGINT: close the server, run onModuleDestroy (ends the pool), exit 0.
app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
await app.listen(listenPort(), listenHost());
announce('nestjs', (app.getHttpServer().address() as { port: number }).port);
