// The root module and the options the app is created with (shared by main.ts and the tests).
import { Controller, Get, Module, inject, type ArmatureOptions } from './armature.js';
import { TimingInterceptor } from './common.js';
import { ConfigModule, ConfigService } from './config.js';
import { DatabaseModule } from './database.js';
import { PostsModule } from './posts.js';
import { UsersModule } from './users.js';

@Controller('/health')
class HealthController {
  private readonly config = inject(ConfigService);
  @Get()
  health() {
    return { ok: true, pageSize: this.config.get('maxPageSize') };
  }
}

@Module({
  imports: [ConfigModule.forRoot({ apiKey: process.env.API_KEY ?? 'dev-key' }), DatabaseModule, UsersModule, PostsModule],
  controllers: [HealthController],
})
export class AppModule {}

export const appOptions: ArmatureOptions = {
  interceptors: [TimingInterceptor],
};
