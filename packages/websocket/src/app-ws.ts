/**
 * `app.ws(path, handlers)`: a WebSocket endpoint declared on the app itself, once this package is
 * imported. It registers on the app's hub: the one `websocket(app, options)` made first, or one
 * with the default options made on the first `app.ws()`.
 */
import { App } from '@armature/core';
import { appHub, type WebSocketHandlers } from './hub.js';

declare module '@armature/core' {
  interface App {
    /**
     * A WebSocket endpoint at `path` (`@armature/websocket`): the handshake is a GET route, the
     * connection is served by the app's hub (`websocket(app, options)` sets its options; called
     * first, or the defaults apply).
     */
    ws(path: string, handlers: WebSocketHandlers<any>): this;
  }
}

if (!Object.prototype.hasOwnProperty.call(App.prototype, 'ws')) {
  Object.defineProperty(App.prototype, 'ws', {
    configurable: true,
    writable: true,
    value: function ws(this: App, path: string, handlers: WebSocketHandlers<any>): App {
      appHub(this).route(path, handlers);
      return this;
    },
  });
}
