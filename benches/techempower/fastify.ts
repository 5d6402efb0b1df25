// TechEmpower plaintext and JSON tests on Fastify, written the way Fastify's own docs suggest
// (response schema for JSON, logger off).
import Fastify from 'fastify';

const app = Fastify({ logger: false });

app.get('/plaintext', (_req, reply) => {
  reply.header('Server', 'Fastify').header('Content-Type', 'text/plain').send('Hello, World!');
});

app.get(
  '/json',
  { schema: { response: { 200: { type: 'object', properties: { message: { type: 'string' } } } } } },
  (_req, reply) => {
    reply.header('Server', 'Fastify').header('Content-Type', 'application/json').send({ message: 'Hello, World!' });
  },
);

const port = Number(process.env.PORT ?? 8080);
await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' });
console.log(`fastify tfb listening on ${port}`);
