// Spawned by di-lifecycle.test.ts: an app whose hooks print, with a slow route, shut down by SIGTERM.
import { Armature, Controller, Get, Injectable, Module, inject } from '../src/di/index.js';

const say = (line: string): void => void process.stdout.write(`${line}\n`);

@Injectable()
class Db {
  onModuleInit() { say('init Db'); }
  onApplicationBootstrap() { say('bootstrap Db'); }
  beforeApplicationShutdown(signal?: string) { say(`before-shutdown Db ${signal}`); }
  async onModuleDestroy() { await new Promise((r) => setTimeout(r, 20)); say('destroy Db'); }
  onApplicationShutdown(signal?: string) { say(`shutdown Db ${signal}`); }
}

@Injectable()
class Users {
  private db = inject(Db);
  onModuleInit() { say(`init Users (db ${this.db instanceof Db})`); }
  beforeApplicationShutdown(signal?: string) { say(`before-shutdown Users ${signal}`); }
  onModuleDestroy() { say('destroy Users'); }
  onApplicationShutdown(signal?: string) { say(`shutdown Users ${signal}`); }
}

@Controller()
class SlowController {
  private users = inject(Users);
  @Get('/slow')
  async slow() {
    say('slow started');
    await new Promise((r) => setTimeout(r, 300));
    say('slow done');
    return { users: this.users instanceof Users };
  }
}

@Module({ controllers: [SlowController], providers: [Db, Users] })
class AppModule {}

const app = await Armature.create(AppModule, { shutdownTimeout: 5000 });
const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
say(`listening ${port}`);
