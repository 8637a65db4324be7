import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { createApiApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { fileDatabase } from '../setup/file-database';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
/** Ed25519 seed (base64) that signs the test runs' audit checkpoints; spawned processes get it too. */
export const AUDIT_SIGNING_KEY = Buffer.alloc(32, 0x5a).toString('base64');

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http: () => TestAgent;
  close: () => Promise<void>;
}

/** Settings for tests: the run's own database; Redis only when asked (jobs run in-process otherwise). */
export function testConfig(env: Record<string, string | undefined> = {}): AppConfig {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  if (!databaseUrl || !/test/.test(databaseUrl)) throw new Error('TEST_DATABASE_URL is missing or does not name a test database');
  return loadConfig({
    DATABASE_URL: databaseUrl,
    ADMIN_TOKEN,
    SECRET_KEY: 'test-secret-key-0123456789-0123456789',
    AUDIT_SIGNING_KEY,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PUBLIC_BASE_URL: 'https://trace.example.cn',
    PUBLIC_RATE_LIMIT_MAX: '100000',
    DATA_DIR: `/tmp/tianfu-test-${process.pid}`,
    // One files folder per test file (as its database), shared by the API and the workers it starts,
    // as they share FILES_DIR in production.
    FILES_DIR: `/tmp/${process.env.TEST_DATABASE_NAME ?? 'tianfu_test'}-files`,
    QUEUE_PREFIX: process.env.TEST_QUEUE_PREFIX,
    DEMO: 'false',
    ...env,
  });
}

export async function createTestApp(env: Record<string, string | undefined> = {}): Promise<TestApp> {
  await fileDatabase();
  const config = testConfig(env);
  const app = await createApiApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    config,
    http: () => request(app.getHttpServer()),
    close: () => app.close(),
  };
}

/**
 * The settings a process started by a test (worker, CLI) needs to share this app's database, queues,
 * files and keys — one place, so a new required setting reaches every spawned process.
 */
export function processEnv(config: AppConfig, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: config.databaseUrl!,
    ...(config.redisUrl ? { REDIS_URL: config.redisUrl } : {}),
    ...redisTopologyEnv(config.redisTopology),
    ADMIN_TOKEN,
    SECRET_KEY: config.secretKey,
    AUDIT_SIGNING_KEY,
    PUBLIC_BASE_URL: config.publicBaseUrl,
    QUEUE_PREFIX: config.queuePrefix,
    FILES_DIR: config.filesDir,
    LOG_LEVEL: 'info',
    ...extra,
  };
}


function redisTopologyEnv(topology: AppConfig['redisTopology']): Record<string, string> {
  const list = (nodes: { host: string; port: number }[]) => nodes.map((n) => `${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port}`).join(',');
  if (topology.kind === 'sentinel') return { REDIS_SENTINELS: list(topology.sentinels), REDIS_SENTINEL_NAME: topology.masterName };
  if (topology.kind === 'cluster') return { REDIS_CLUSTER_NODES: list(topology.nodes.slice(1)) };
  return {};
}
