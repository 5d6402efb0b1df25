// Validated configuration in a DI app: ConfigModule.forRoot reads the environment and the .env
// files, validates them while the app starts, and lists every problem at once (no value shown).
//   PORT=3000 npx tsx examples/config/main.ts
//   curl localhost:3000/settings
//   API_KEY=short DATABASE_POOL=many npx tsx examples/config/main.ts   → exits with the list of problems
import { fileURLToPath } from 'node:url';
import { Armature, Controller, Get, Module, inject } from '@armature/core';
import { ConfigError, ConfigModule, ConfigService } from '@armature/config';
import { Env, databaseConfig } from './env.js';

@Controller('/settings')
class SettingsController {
  private readonly config = inject(ConfigService<Env>);
  private readonly database = inject(databaseConfig);

  @Get()
  show() {
    return {
      environment: this.config.get('NODE_ENV'),
      greeting: this.config.get('GREETING'),
      signup: this.config.get('FEATURE_SIGNUP'), // a boolean, coerced by the schema
      databasePool: this.database.pool, // a number
      apiKeySet: this.config.has('API_KEY'), // never the key itself
    };
  }
}

@Module({
  imports: [
    ConfigModule.forRoot({
      schema: Env,
      envFile: ['.env.local', '.env', 'example.env'], // the first file that sets a variable wins
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      load: [databaseConfig],
    }),
  ],
  controllers: [SettingsController],
})
class AppModule {}

let app: Armature;
try {
  app = await Armature.create(AppModule);
} catch (error) {
  const cause = (error as Error).cause;
  if (!(cause instanceof ConfigError)) throw error;
  console.error(cause.message); // "Invalid configuration: 2 problems\n  - API_KEY: …"
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);
const { port: bound } = await app.listen({ port, host: '127.0.0.1' });
console.log(`config example listening on http://127.0.0.1:${bound}`);
