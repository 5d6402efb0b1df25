/**
 * DI integration: `imports: [WebSocketModule.forRoot(options)]` provides the app's WebSocketHub
 * (global: every gateway and service can `inject(WebSocketHub)` to send to rooms). The hub starts
 * its closing handshakes (1001) when shutdown begins and is waited for at its end.
 */
import { Module, type DynamicModule } from '@armature/core';
import { WebSocketHub } from './hub.js';
import { resolveWebSocketOptions, type WebSocketOptions } from './options.js';

@Module({})
export class WebSocketModule {
  /** A global module providing one WebSocketHub with these options. */
  static forRoot(options: WebSocketOptions & { onError?: (error: unknown) => void } = {}): DynamicModule {
    resolveWebSocketOptions(options); // options are checked here, at import time, with their names
    return {
      module: WebSocketModule,
      global: true,
      providers: [{ provide: WebSocketHub, useFactory: () => new WebSocketHub(null, options) }],
      exports: [WebSocketHub],
    };
  }
}
