import type { App, BeforeApplicationShutdown } from '@armature/core';
import { EngineServer } from '@armature/core/engine';
import { tlsFiles } from '../config.js';
import { openNodeListener } from '../node-listeners.js';
import { listenHost, type Listener } from '../profiles.js';

/**
 * The listeners besides the app's own (`armature.listen()`: HTTP/1.1 on Armature's engine, plain
 * or over TLS): HTTP/1.1 over TLS on a second engine server (ALPN http/1.1) when the app's
 * listener is the plain one, and HTTP/2 over TLS and
 * HTTP/2 cleartext on node:http2 with the app's node listener (`app.nodeListener()`). Closed
 * before the app is, on shutdown.
 */
export class Listeners implements BeforeApplicationShutdown {
  private readonly closers: Array<() => Promise<void>> = [];

  async open(app: App, listener: Exclude<Listener, 'h1'>, port: number): Promise<number> {
    if (listener === 'h1-tls') {
      const engine = new EngineServer(app.handle, app.config);
      const address = await engine.listen({ port, host: listenHost(), tls: tlsFiles() });
      this.closers.push(() => engine.close());
      return address.port;
    }
    const opened = await openNodeListener(listener, app.nodeListener(), port);
    this.closers.push(() => opened.close());
    return opened.port;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.closers.map((close) => close()));
  }
}
