// The server of the HTTP/2 benchmark: FRAMEWORK (armature, armature-node, fastify) on PORT, MODE
// h2c (cleartext, prior knowledge) or tls (ALPN h2, HTTP/1.1 allowed, a certificate made with
// openssl at start-up). /json answers {"message":"Hello, World!"}, /plaintext "Hello, World!".
//   armature       app.listen({ http2 }): the engine hands HTTP/2 connections to node:http2
//   armature-node  node:http2's own server with app.nodeListener() (the adapter, docs/adapters.md)
//   fastify        fastify({ http2: true[, https: { allowHTTP1: true, key, cert }] })
import http2 from 'node:http2';
import { createApp } from '@armature/core';
import Fastify from 'fastify';
import { devCertificate } from '../../examples/http2/dev-certificate.js';

const framework = process.env.FRAMEWORK ?? 'armature';
const mode = process.env.MODE ?? 'h2c';
const port = Number(process.env.PORT ?? 8080);
const host = '127.0.0.1';
if (mode !== 'h2c' && mode !== 'tls') throw new Error(`MODE must be h2c or tls, not "${mode}"`);

const tls = mode === 'tls' ? devCertificate() : undefined; // the example's EC P-256 certificate for localhost
const message = { message: 'Hello, World!' };

async function main(): Promise<{ close(): Promise<void> }> {
  switch (framework) {
    case 'armature':
    case 'armature-node': {
      const app = createApp();
      app.get('/json', () => message);
      app.get('/plaintext', () => 'Hello, World!');
      if (framework === 'armature') {
        await app.listen(tls ? { port, host, http2: true, tls } : { port, host, http2: 'h2c' });
        return app;
      }
      const server = tls ? http2.createSecureServer({ ...tls, allowHTTP1: true }, app.nodeListener()) : http2.createServer(app.nodeListener());
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
      return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    }
    case 'fastify': {
      if (tls) {
        const app = Fastify({ http2: true, https: { allowHTTP1: true, ...tls } });
        app.get('/json', async () => message);
        app.get('/plaintext', async (_req, reply) => reply.type('text/plain').send('Hello, World!'));
        await app.listen({ port, host });
        return app;
      }
      const app = Fastify({ http2: true });
      app.get('/json', async () => message);
      app.get('/plaintext', async (_req, reply) => reply.type('text/plain').send('Hello, World!'));
      await app.listen({ port, host });
      return app;
    }
    default:
      throw new Error(`FRAMEWORK must be armature, armature-node or fastify, not "${framework}"`);
  }
}

const server = await main();
console.log(`listening on ${tls ? 'https' : 'http'}://${host}:${port} (${framework}, ${mode})`);
// a session left open by the load generator must not hold the exit back
process.once('SIGTERM', () => {
  setTimeout(() => process.exit(0), 2000).unref();
  void server.close().then(() => process.exit(0));
});
