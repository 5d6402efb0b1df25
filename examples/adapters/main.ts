// One app, four ways in: Armature's engine, a node:http server, a node:http2 (h2c) server and a
// fetch handler — plus inject() for tests. Run: npx tsx examples/adapters/main.ts
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createApp } from '@armature/core';

const app = createApp();
app.get('/whoami', (ctx) => ({ httpVersion: ctx.req.httpVersion, secure: ctx.req.secure }));

// 1. Armature's own engine
const engine = await app.listen({ port: 0 });

// 2. mounted in a node:http server (e.g. next to other listeners or behind existing middleware)
const nodeServer = http.createServer(app.nodeListener());
await new Promise<void>((r) => nodeServer.listen(0, '127.0.0.1', r));

// 3. HTTP/2 (cleartext here; use http2.createSecureServer with the same listener for TLS)
const h2Server = http2.createServer(app.nodeListener());
await new Promise<void>((r) => h2Server.listen(0, '127.0.0.1', r));

// 4. fetch(Request) → Response, for runtimes and platforms built around fetch
const viaFetch = await app.fetch(new Request('http://example.test/whoami'));

// 5. inject(): through the pipeline without a socket
const viaInject = await app.inject('/whoami');

console.log('engine   ', await (await fetch(`http://127.0.0.1:${engine.port}/whoami`)).json());
console.log('node:http', await (await fetch(`http://127.0.0.1:${(nodeServer.address() as AddressInfo).port}/whoami`)).json());
const client = http2.connect(`http://127.0.0.1:${(h2Server.address() as AddressInfo).port}`);
const h2Body = await new Promise<string>((resolve) => {
  let data = '';
  const req = client.request({ ':path': '/whoami' });
  req.setEncoding('utf8');
  req.on('data', (d: string) => (data += d));
  req.on('end', () => resolve(data));
  req.end();
});
console.log('http2    ', JSON.parse(h2Body));
console.log('fetch    ', await viaFetch.json());
console.log('inject   ', viaInject.json());

client.close();
await app.close();
nodeServer.close();
h2Server.close();
