// Configuration: a dynamic, global module. AppModule imports ConfigModule.forRoot({ … }) once;
// every module can then inject ConfigService without importing anything.
import { Injectable, InjectionToken, Module, inject, type DynamicModule } from './armature.js';

export interface AppConfig {
  /** Key that write routes require in the `x-api-key` header. */
  apiKey: string;
  /** Simulated database connection delay, in ms. */
  connectDelay: number;
  /** Largest page `GET /posts?limit=` returns. */
  maxPageSize: number;
}

const CONFIG_OPTIONS = new InjectionToken<AppConfig>('CONFIG_OPTIONS');

@Injectable()
export class ConfigService {
  private readonly options = inject(CONFIG_OPTIONS);
  get<K extends keyof AppConfig>(key: K): AppConfig[K] {
    return this.options[key];
  }
}

@Module({ providers: [ConfigService], exports: [ConfigService] })
export class ConfigModule {
  static forRoot(options: Partial<AppConfig> = {}): DynamicModule {
    const values: AppConfig = { apiKey: 'dev-key', connectDelay: 10, maxPageSize: 50, ...options };
    return { module: ConfigModule, global: true, providers: [{ provide: CONFIG_OPTIONS, useValue: values }] };
  }
}
