import { Module, inject, type OnModuleDestroy } from '@armature/core';
import { CompressionModule } from '@armature/compression';
import { ServeStaticModule } from '@armature/middleware';
import { WebSocketModule } from '@armature/websocket';
import { staticDir } from '../config.js';
import { AsyncDbController } from './async-db.controller.js';
import { BaselineController } from './baseline.controller.js';
import { CrudController } from './crud.controller.js';
import { EchoGateway } from './echo.gateway.js';
import { JsonController } from './json.controller.js';
import { UploadController } from './upload.controller.js';
import { Dataset } from './dataset.service.js';
import { ItemCache } from '../item-cache.js';
import { ItemsRepository } from '../items-repository.js';
import { Listeners } from './listeners.js';

/**
 * The whole entry, written as an Armature service is: one controller per profile family
 * (strings answer text/plain, objects JSON through serializers compiled from the routes' response
 * schemas, bodies through the context's checked readers), services for the dataset, the items
 * table and the cache. Around them, for every route: response compression negotiated per
 * request (json-comp: br or gzip as the client accepts; answers under 1 KiB and precompressed files are
 * left alone) and the static files under /static, read from disk on every request, with their
 * precompressed .br / .gz siblings served when accepted; WebSocket echo on /ws (echo-ws) through
 * @armature/websocket's gateway, on the engine's listeners.
 */
@Module({
  imports: [
    CompressionModule.forRoot({ encodings: ['br', 'gzip'] }),
    ServeStaticModule.forRoot({ root: staticDir(), prefix: '/static', precompressed: true }),
    WebSocketModule.forRoot(),
  ],
  controllers: [BaselineController, JsonController, UploadController, AsyncDbController, CrudController, EchoGateway],
  providers: [Dataset, ItemsRepository, ItemCache, Listeners],
})
export class AppModule implements OnModuleDestroy {
  private readonly items = inject(ItemsRepository);

  /** Ends the pool once the listeners have drained. */
  onModuleDestroy(): Promise<void> {
    return this.items.end();
  }
}
