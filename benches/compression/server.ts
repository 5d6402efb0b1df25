// The server of the compression benchmark: FRAMEWORK (armature, armature-node, fastify, express)
// answers /json with a 10 KiB JSON document and /stream with a 1 MiB body streamed in 16 KiB
// chunks, compressed by its usual middleware at the same levels (GZIP_LEVEL, BR_QUALITY).
import { Readable } from 'node:stream';
import http from 'node:http';
import zlib from 'node:zlib';
import { createApp } from '@armature/core';
import { compression } from '@armature/compression';
import Fastify from 'fastify';
import fastifyCompress from '@fastify/compress';
import express from 'express';
import expressCompression from 'compression';
import { document, streamChunks } from './payload.js';

const framework = process.env.FRAMEWORK ?? 'armature';
const port = Number(process.env.PORT ?? 8080);
const host = '127.0.0.1';
const gzipLevel = Number(process.env.GZIP_LEVEL ?? 6);
const brQuality = Number(process.env.BR_QUALITY ?? 4);
const json = document(10 * 1024);
const chunks = streamChunks(1024 * 1024, 16 * 1024);
const STREAM_TYPE = 'application/x-ndjson-bench'; // not flushed per write by anyone; compressible by filter below

async function main(): Promise<{ close(): Promise<void> }> {
  switch (framework) {
    case 'armature':
    case 'armature-node': {
      const app = createApp();
      app.use(compression({ encodings: ['br', 'gzip'], levels: { gzip: gzipLevel, br: brQuality }, flush: false, filter: () => true }));
      app.get('/json', () => json);
      app.get('/stream', (ctx) => {
        ctx.set('Content-Type', STREAM_TYPE);
        return Readable.from(chunks);
      });
      if (framework === 'armature') {
        await app.listen({ port, host });
        return app;
      }
      const server = http.createServer(app.nodeListener());
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
      return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    }
    case 'fastify': {
      const app = Fastify();
      await app.register(fastifyCompress, {
        encodings: ['br', 'gzip'],
        zlibOptions: { level: gzipLevel },
        brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: brQuality } },
        customTypes: /./,
      });
      app.get('/json', async () => json);
      app.get('/stream', (_req, reply) => {
        reply.type(STREAM_TYPE).send(Readable.from(chunks));
      });
      await app.listen({ port, host });
      return app;
    }
    case 'express': {
      const app = express();
      app.use(expressCompression({ level: gzipLevel, brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: brQuality } }, filter: () => true } as expressCompression.CompressionOptions));
      app.get('/json', (_req, res) => {
        res.json(json);
      });
      app.get('/stream', (_req, res) => {
        res.type(STREAM_TYPE);
        Readable.from(chunks).pipe(res);
      });
      const server = app.listen(port, host);
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    }
    default:
      throw new Error(`FRAMEWORK must be armature, armature-node, fastify or express, not "${framework}"`);
  }
}

const server = await main();
console.log(`listening on http://${host}:${port} (${framework})`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
