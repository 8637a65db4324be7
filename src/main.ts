import type { Server } from 'node:net';
import { INestApplication, Logger } from '@nestjs/common';
import { createApiApp, jsonLogger } from './bootstrap';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { closeEmbeddedDatabase, createDataSource } from './database/data-source';
import { migrateAndSeed } from './database/prepare';
import { DemoInfo, seedDemo } from './demo/demo-seed';

function startupBanner(config: AppConfig, demo: DemoInfo | null, listening: string): string {
  const base = config.publicBaseUrl;
  const lines = [
    '',
    '  天府溯源 Tianfu Trace is running',
    `  Site:          ${base}/`,
    // The socket actually bound: with PORT=0 the OS picks the port, and tests and benchmarks read it here.
    `  Listening on:  ${listening}`,
    `  API docs:      ${base}/docs`,
    `  Health:        ${base}/health`,
    `  Admin token:   ${config.adminToken}${config.adminTokenGenerated ? `  (generated; kept in ${config.dataDir}/admin-token)` : ''}`,
  ];
  if (demo) {
    lines.push(
      `  Demo scan page:    ${base}${demo.scanPath}`,
      ...(demo.digitalLinkPath ? [`  Demo Digital Link: ${base}${demo.digitalLinkPath}`] : []),
      ...(demo.certificatePath ? [`  Demo certificate:  ${base}${demo.certificatePath}`] : []),
      ...(demo.marketScanPath ? [`  Demo supply chain: ${base}${demo.marketScanPath}  (a market's lot of the kiwi batch)`] : []),
      ...(demo.consoleInvitePath ? [`  Console:           ${base}${demo.consoleInvitePath}  (set a password for login "demo"; then ${base}/app)`] : []),
      ...(demo.regulatorInvitePath ? [`  Dashboard:         ${base}${demo.regulatorInvitePath}  (成都市 regulator, login "regulator"; then ${base}/app/dashboard)`] : []),
      `  Demo label sheet:  curl -H "Authorization: Bearer ${demo.orgAdminToken}" -o labels.pdf "${base}${demo.labelSheetPath}"`,
      `  Demo tokens:       org_admin ${demo.orgAdminToken} · regulator ${demo.regulatorToken}  (also in ${config.dataDir}/demo.json)`,
    );
  }
  lines.push(`  Database: ${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}/pgdata`} · Jobs: ${config.redisUrl ? 'BullMQ (run the worker)' : 'in-process'}`, '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = jsonLogger(config.logLevel);
  let dataSource;
  if (!config.databaseUrl) {
    // Embedded mode prepares its own database; production runs `cli.js migrate` as a release step.
    dataSource = await (await createDataSource(config)).initialize();
    const result = await migrateAndSeed(dataSource, config.publicBaseUrl);
    if (result.migrations.length) logger.log({ msg: 'migrations applied', migrations: result.migrations }, 'Database');
  }
  const app = await createApiApp(config, dataSource);
  // Initialised before seeding: in embedded mode the job processors register on init, and the demo's
  // samples record judge jobs that the outbox relays at once.
  await app.init();
  const demo = config.demo ? await seedDemo(app, config) : null;
  await app.listen({ port: config.port, host: config.host });
  // The banner is for the person who ran the command; logs stay JSON.
  process.stdout.write(startupBanner(config, demo, boundUrl(app)) + '\n');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown(app, signal));
}

function boundUrl(app: INestApplication): string {
  const address = (app.getHttpServer() as Server).address();
  if (!address || typeof address === 'string') return String(address);
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

/**
 * Graceful: stop taking requests, finish jobs in hand and flush scan records (Nest's shutdown
 * hooks), close the database (embedded PGlite last, cleanly), then exit 0.
 */
async function shutdown(app: INestApplication, signal: string): Promise<void> {
  const logger = new Logger('Main');
  logger.log({ msg: 'shutting down', signal });
  try {
    await app.close();
    await closeEmbeddedDatabase();
    process.exit(0);
  } catch (error) {
    logger.error({ msg: 'shutdown failed', error: String(error) });
    process.exit(1);
  }
}

main().catch(async (error: unknown) => {
  await closeEmbeddedDatabase().catch(() => undefined);
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
  } else {
    new Logger('Main').error(error instanceof Error ? error.stack : String(error));
  }
  process.exit(1);
});
