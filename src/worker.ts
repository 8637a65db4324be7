import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { jsonLogger } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';
import { setDefaultAuditActor } from './modules/audit/audit-context';
import { WorkerModule } from './worker.module';

/** The worker process: BullMQ workers, no HTTP. Needs DATABASE_URL and REDIS_URL. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.redisUrl || !config.databaseUrl) {
    throw new ConfigError('The worker needs DATABASE_URL and REDIS_URL (without them the API runs jobs in-process)');
  }
  setDefaultAuditActor('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: jsonLogger(config.logLevel) });
  const logger = new Logger('Worker');
  // Graceful: BullMQ workers finish the jobs in hand (before the database closes), then exit 0.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log({ msg: 'shutting down', signal });
      app.close().then(() => process.exit(0), (error: unknown) => {
        logger.error({ msg: 'shutdown failed', error: String(error) });
        process.exit(1);
      });
    });
  }
  logger.log({ msg: 'worker ready' });
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof ConfigError ? `Configuration error: ${error.message}\n` : `${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
