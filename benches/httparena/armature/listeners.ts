import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Injectable, type App, type BeforeApplicationShutdown } from '@armature/core';
import { EngineServer } from '@armature/core/engine';
import { certPath, keyPath } from '../config.js';
import { listenHost, type Listener } from '../profiles.js';

const tlsFiles = () => ({ key: readFileSync(keyPath()), cert: readFileSync(certPath()) });

/**
 * The listeners besides the app's own (`armature.listen()`, plain HTTP/1.1 on Armature's
 * engine): HTTP/1.1 over TLS on a second engine server (ALPN http/1.1), HTTP/2 over TLS and
 * HTTP/2 cleartext (prior knowledge only: an HTTP/1.1 request is refused) on node:http2 with the
 * app's node listener. Closed before the app is, on shutdown.
 */
@Injectable()
export class Listeners implements BeforeApplicationShutdown {
  private readonly closers: Array<() => Promise<void>> = [];

  async open(app: App, listener: Exclude<Listener, 'h1'>, port: number): Promise<number> {
    const host = listenHost();
    if (listener === 'h1-tls') {
      const engine = new EngineServer(app.handle, app.config);
      const address = await engine.listen({ port, host, tls: tlsFiles() });
      this.closers.push(() => engine.close());
      return address.port;
    }
    const server = listener === 'h2'
      ? http2.createSecureServer({ ...tlsFiles(), allowHTTP1: true }, app.nodeListener())
      : http2.createServer({}, app.nodeListener());
    const sessions = new Set<http2.Http2Session>();
    server.on('session', (session) => {
      sessions.add(session);
      session.once('close', () => sessions.delete(session));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.closers.push(() => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const session of sessions) session.close(); // GOAWAY: streams in flight finish
    }));
    return (server.address() as AddressInfo).port;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.closers.map((close) => close()));
  }
}
