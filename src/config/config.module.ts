import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from './app-config';

@Global()
@Module({})
export class ConfigModule {
  /** The config, plus process-wide values built before Nest (e.g. the scan edge server). */
  static forRoot(config: AppConfig, extra: Provider[] = []): DynamicModule {
    const providers: Provider[] = [{ provide: APP_CONFIG, useValue: config }, ...extra];
    return { module: ConfigModule, providers, exports: providers.map((p) => ('provide' in p ? p.provide : p)) };
  }
}
