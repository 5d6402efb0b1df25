// A DI app on two workers (the workers test): each provider logs the process that built it.
import { Armature, Controller, Get, Injectable, Module, inject, isWorker } from '../src/index.js';

@Injectable()
class Greeter {
  constructor() {
    console.error(`Greeter built in ${process.pid}`);
  }
  onModuleDestroy() {
    console.error(`onModuleDestroy in ${process.pid}`);
  }
}

@Controller()
class WhoController {
  private readonly greeter = inject(Greeter);
  @Get('/who')
  who() {
    return { pid: process.pid, greeter: this.greeter !== undefined };
  }
}

@Module({ controllers: [WhoController], providers: [Greeter] })
class AppModule {}

const app = await Armature.create(AppModule, { workers: Number(process.env.WORKERS ?? 2) });
const address = await app.listen({ port: Number(process.env.PORT ?? 0) });
if (!isWorker()) console.log(`workers-di listening on http://127.0.0.1:${address.port}`);
