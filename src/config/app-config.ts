import { KeyObject, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RETRY_POLICY } from '../../libs/queues';
import { parseAllowList } from '../modules/metrics/domain';
import { generateEd25519PrivateKeyPem, KeyFormatError, parseEd25519PrivateKey } from '../../libs/signing';

/**
 * The one validated, typed view of the environment. Nothing else reads process.env.
 * A bad or missing setting stops the process with a message that names it.
 */
export interface AppConfig {
  port: number;
  host: string;
  /** Public origin printed into QR codes and links, without a trailing slash. */
  publicBaseUrl: string;
  /** undefined → embedded PostgreSQL (PGlite) under dataDir. */
  databaseUrl?: string;
  /** A streaming replica for public and reporting reads (ReadReplica); undefined → every read on the primary. */
  databaseReplicaUrl?: string;
  /** A replica further behind than this is not read from (the primary answers) until it catches up. */
  replicaMaxLagMs: number;
  /** undefined → jobs run in-process. With a topology other than single, only its credentials, database and TLS are used. */
  redisUrl?: string;
  /** How Redis is reached: one server (REDIS_URL), through Sentinel (REDIS_SENTINELS) or as a Redis Cluster (REDIS_CLUSTER_NODES). */
  redisTopology: RedisTopology;
  /**
   * With Sentinel: after relaying outbox jobs, WAIT up to this many ms for a replica to hold them
   * before marking them relayed (a failover then cannot lose an acknowledged job); 0 turns it off.
   */
  redisRelayWaitMs: number;
  dataDir: string;
  filesDir: string;
  adminToken: string;
  /** true when the admin token was generated (embedded mode) rather than configured. */
  adminTokenGenerated: boolean;
  /** Key for HMACs of personal data (ID numbers) and signed links. */
  secretKey: string;
  queuePrefix: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Trust X-Forwarded-For from a reverse proxy (rate limits then key on the real client). */
  trustProxy: boolean;
  publicRateLimit: { max: number; windowMs: number };
  /** A serialised label scanned by more distinct clients than this gets a "may be copied" warning. */
  scanCopyWarnThreshold: number;
  /** Clients count towards that warning for this many days after their last scan. */
  scanCopyWarnWindowDays: number;
  /** Consumer reports (问题反馈): per-client limit, retention of phone numbers and photos, the counterfeit alert. */
  consumerReports: {
    rateLimitMax: number;
    rateLimitWindowMs: number;
    /** Phone numbers and photos are deleted this many days after the report. */
    retentionDays: number;
    /** Reports of one code from at least this many distinct clients within the window alert the regulator. */
    alertClients: number;
    alertWindowDays: number;
  };
  /** scan_events partitions (one per month, China time) kept made ahead of the current month. */
  scanPartitionsAhead: number;
  /** Scan events older than this many whole months are dropped with their partitions; 0 keeps them all. */
  scanRetentionMonths: number;
  /** 承诺达标合格证 records may not be deleted for this many months after issue (the rule says ≥ 6). */
  certificateRetentionMonths: number;
  /** Farm records (农事记录 / 农药使用记录) may not be deleted for this many months after the application (the law: 2 years). */
  inputRecordRetentionMonths: number;
  /** An application may be dated at most this many days before its site was registered (paper records entered when a site joins). */
  inputRecordBackfillDays: number;
  /** A market's seller file (入场销售者档案) is kept at least this many months after the seller stops (the rule says ≥ 6). */
  marketSellerRetentionMonths: number;
  /** 查验 by typed number: an organisation with this many failed lookups within the window is refused further ones. */
  certificateLookupFailuresMax: number;
  certificateLookupWindowMinutes: number;
  /** Label renders above this many labels run as a background job (202 + progress). */
  labelSyncMax: number;
  printRunMax: number;
  /** Seconds between flushes of buffered scan records. */
  scanFlushIntervalMs: number;
  demo: boolean;
  /** Hash-chained audit log of every state change (AUDIT_LOG=false only to measure its cost). */
  auditLog: boolean;
  /** Webhook deliveries: attempts before giving up (≤ the queue's retry attempts) and per-attempt timeout. */
  webhookMaxAttempts: number;
  webhookTimeoutMs: number;
  /** Tests/development only: webhooks to loopback and private networks (never reserved ranges or this host's other addresses). */
  webhookAllowPrivate: boolean;
  /** Transformation outputs may weigh at most this % of their inputs (mass balance). */
  transformationMaxYieldPercent: number;
  /** A producer may ask for a recheck (复检) of a failed sample within this many days of the verdict. */
  samplingRecheckDays: number;
  /** Ed25519 private key that signs audit checkpoints (the chain head, published for regulators). */
  auditSigningKey: KeyObject;
  /** Largest body the EPCIS capture route accepts (authenticated first); every other route keeps 1 MiB. */
  epcisBodyLimit: number;
  /** Largest body the CSV upload routes accept (authenticated first). */
  csvBodyLimit: number;
  /** Crashed jobs: BullMQ's lock and stall check, and the sweeper that requeues or fails lost jobs. */
  jobs: JobRecoveryConfig;
  /** Who may read GET /metrics: clients on these networks (CIDRs), or bearers of this token (or the admin token). */
  metrics: { allow: string[]; token?: string };
}

export interface JobRecoveryConfig {
  /** A running job's lock lives this long unless its worker renews it (BullMQ lockDuration). */
  lockMs: number;
  /** How often workers look for jobs whose lock has expired (BullMQ stalledInterval). */
  stalledIntervalMs: number;
  /** A job stalled more often than this is failed by BullMQ (maxStalledCount); the sweeper takes it from there. */
  maxStalledCount: number;
  /** How often the sweeper looks for renders, captures and judging left unfinished with no live job. */
  sweepEveryMs: number;
  /** Times the sweeper queues a lost job again before failing it with a reason the API shows. */
  maxRequeues: number;
}

export interface HostPort {
  host: string;
  port: number;
}

/**
 * single: REDIS_URL's server. sentinel: the master of the group REDIS_SENTINEL_NAME (default: REDIS_URL's
 * host name), found and followed through failovers by asking these Sentinels. cluster: a Redis Cluster
 * reached through these seed nodes (REDIS_URL's server first); queue keys are then hash-tagged.
 */
export type RedisTopology =
  | { kind: 'single' }
  | { kind: 'sentinel'; sentinels: HostPort[]; masterName: string }
  | { kind: 'cluster'; nodes: HostPort[] };

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const MIB = 1024 * 1024;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
  }
  return raw;
}

function hostPorts(env: Env, name: string): HostPort[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((item) => {
    const match = /^\s*(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\s*$/.exec(item);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) throw new ConfigError(`${name} must be a comma-separated list of host:port, got "${item.trim()}"`);
    return { host: match[1].replace(/^\[|\]$/g, ''), port };
  });
}

function redisTopology(env: Env, redisUrl: string | undefined): RedisTopology {
  const sentinels = hostPorts(env, 'REDIS_SENTINELS');
  const clusterNodes = hostPorts(env, 'REDIS_CLUSTER_NODES');
  if ((sentinels.length || clusterNodes.length) && !redisUrl) {
    throw new ConfigError('REDIS_SENTINELS and REDIS_CLUSTER_NODES need REDIS_URL (its password, database and TLS are used)');
  }
  if (sentinels.length && clusterNodes.length) throw new ConfigError('Set REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both');
  if (sentinels.length) {
    const masterName = env.REDIS_SENTINEL_NAME || new URL(redisUrl!).hostname;
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(masterName)) throw new ConfigError(`REDIS_SENTINEL_NAME must be a Sentinel master name, got "${masterName}"`);
    return { kind: 'sentinel', sentinels, masterName };
  }
  if (clusterNodes.length) {
    const seed = new URL(redisUrl!);
    return { kind: 'cluster', nodes: [{ host: seed.hostname.replace(/^\[|\]$/g, ''), port: Number(seed.port || 6379) }, ...clusterNodes] };
  }
  return { kind: 'single' };
}

/** In a Redis Cluster, each BullMQ queue's keys must share one hash slot: the prefix becomes a hash tag. */
function queuePrefix(env: Env, topology: RedisTopology): string {
  const prefix = env.QUEUE_PREFIX || 'tianfu';
  return topology.kind === 'cluster' && !/\{[^}]+\}/.test(prefix) ? `{${prefix}}` : prefix;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** Embedded mode keeps generated secrets in the data directory so restarts keep them. */
function embeddedSecret(dataDir: string, name: string, prefix: string, generate = () => `${prefix}${randomBytes(24).toString('base64url')}`): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const token = generate();
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return token;
}

function secret(env: Env, name: string, minLength: number, production: boolean, dataDir: string, prefix: string): string {
  const value = env[name];
  if (value !== undefined && value !== '') {
    if (value.length < minLength) throw new ConfigError(`${name} must be at least ${minLength} characters`);
    return value;
  }
  if (production) throw new ConfigError(`${name} is required when DATABASE_URL is set`);
  return embeddedSecret(dataDir, name.toLowerCase().replace(/_/g, '-'), prefix);
}

/**
 * One signing key for every process (API signs on demand, workers each hour), so it is a setting;
 * embedded mode generates one into DATA_DIR/audit-signing-key like the admin token.
 */
function auditSigningKey(env: Env, production: boolean, dataDir: string): KeyObject {
  const name = 'AUDIT_SIGNING_KEY';
  const value = env[name];
  if ((value === undefined || value === '') && production) {
    throw new ConfigError(`${name} is required when DATABASE_URL is set (an Ed25519 private key: PKCS#8 PEM, or 32 random bytes in base64, e.g. openssl rand -base64 32)`);
  }
  const text = value || embeddedSecret(dataDir, 'audit-signing-key', '', generateEd25519PrivateKeyPem);
  try {
    return parseEd25519PrivateKey(text, name);
  } catch (error) {
    if (error instanceof KeyFormatError) throw new ConfigError(error.message);
    throw error;
  }
}

function metricsAccess(env: Env): AppConfig['metrics'] {
  const allow = (env.METRICS_ALLOW ?? '127.0.0.0/8,::1').split(',').map((s) => s.trim()).filter(Boolean);
  try {
    parseAllowList(allow.join(','));
  } catch (error) {
    throw new ConfigError(`METRICS_ALLOW: ${(error as Error).message}`);
  }
  const token = env.METRICS_TOKEN || undefined;
  if (token !== undefined && token.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters');
  return { allow, token };
}

export function loadConfig(env: Env = process.env): AppConfig {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const topology = redisTopology(env, redisUrl);
  const databaseReplicaUrl = url(env, 'DATABASE_REPLICA_URL', ['postgres:', 'postgresql:']);
  if (databaseReplicaUrl && !databaseUrl) throw new ConfigError('DATABASE_REPLICA_URL needs DATABASE_URL (the embedded database has no replica)');
  const dataDir = resolve(env.DATA_DIR || './data');
  const configuredBaseUrl = url(env, 'PUBLIC_BASE_URL', ['http:', 'https:']);
  // Printed into every QR code: a production label must never point at localhost.
  if (databaseUrl && !configuredBaseUrl) throw new ConfigError('PUBLIC_BASE_URL is required when DATABASE_URL is set (it is printed into QR codes)');
  if (port === 0 && !configuredBaseUrl) throw new ConfigError('PUBLIC_BASE_URL is required when PORT is 0 (the port is not known before listening; the banner shows it)');
  const publicBaseUrl = (configuredBaseUrl ?? `http://localhost:${port}`).replace(/\/+$/, '');

  const production = !!databaseUrl;
  const adminTokenGenerated = !env.ADMIN_TOKEN;
  const adminToken = secret(env, 'ADMIN_TOKEN', 16, production, dataDir, 'adm_');
  const secretKey = secret(env, 'SECRET_KEY', 32, production, dataDir, 'key_');

  const logLevel = (env.LOG_LEVEL || 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  return {
    port,
    host,
    publicBaseUrl,
    databaseUrl,
    databaseReplicaUrl,
    replicaMaxLagMs: int(env, 'REPLICA_MAX_LAG_MS', 5000, 100, 3_600_000),
    redisUrl,
    redisTopology: topology,
    redisRelayWaitMs: int(env, 'REDIS_RELAY_WAIT_MS', 100, 0, 10_000),
    dataDir,
    filesDir: resolve(env.FILES_DIR || join(dataDir, 'files')),
    adminToken,
    adminTokenGenerated,
    secretKey,
    queuePrefix: queuePrefix(env, topology),
    logLevel,
    trustProxy: bool(env, 'TRUST_PROXY', false),
    publicRateLimit: {
      max: int(env, 'PUBLIC_RATE_LIMIT_MAX', 120, 1, 10_000_000),
      windowMs: int(env, 'PUBLIC_RATE_LIMIT_WINDOW_MS', 60_000, 1000, 3_600_000),
    },
    scanCopyWarnThreshold: int(env, 'SCAN_COPY_WARN_THRESHOLD', 20, 1, 1_000_000),
    scanCopyWarnWindowDays: int(env, 'SCAN_COPY_WARN_WINDOW_DAYS', 30, 1, 3650),
    consumerReports: {
      rateLimitMax: int(env, 'CONSUMER_REPORT_RATE_LIMIT_MAX', 5, 1, 10_000),
      rateLimitWindowMs: int(env, 'CONSUMER_REPORT_RATE_LIMIT_WINDOW_MS', 3_600_000, 1000, 86_400_000),
      retentionDays: int(env, 'CONSUMER_REPORT_RETENTION_DAYS', 180, 1, 3650),
      alertClients: int(env, 'CONSUMER_REPORT_ALERT_CLIENTS', 5, 2, 10_000),
      alertWindowDays: int(env, 'CONSUMER_REPORT_ALERT_WINDOW_DAYS', 7, 1, 365),
    },
    scanPartitionsAhead: int(env, 'SCAN_PARTITIONS_AHEAD', 3, 1, 60),
    scanRetentionMonths: int(env, 'SCAN_RETENTION_MONTHS', 0, 0, 600),
    certificateRetentionMonths: int(env, 'CERTIFICATE_RETENTION_MONTHS', 6, 6, 600),
    inputRecordRetentionMonths: int(env, 'INPUT_RECORD_RETENTION_MONTHS', 24, 24, 600),
    inputRecordBackfillDays: int(env, 'INPUT_RECORD_BACKFILL_DAYS', 366, 0, 3650),
    marketSellerRetentionMonths: int(env, 'MARKET_SELLER_RETENTION_MONTHS', 6, 6, 600),
    certificateLookupFailuresMax: int(env, 'CERTIFICATE_LOOKUP_FAILURES_MAX', 10, 1, 10_000),
    certificateLookupWindowMinutes: int(env, 'CERTIFICATE_LOOKUP_WINDOW_MINUTES', 60, 1, 43_200),
    labelSyncMax: int(env, 'LABEL_SYNC_MAX', 1000, 0, 100_000),
    printRunMax: int(env, 'PRINT_RUN_MAX', 100_000, 1, 1_000_000),
    scanFlushIntervalMs: int(env, 'SCAN_FLUSH_INTERVAL_MS', 1000, 10, 60_000),
    demo: bool(env, 'DEMO', !databaseUrl),
    auditLog: bool(env, 'AUDIT_LOG', true),
    webhookMaxAttempts: int(env, 'WEBHOOK_MAX_ATTEMPTS', RETRY_POLICY.attempts, 1, RETRY_POLICY.attempts),
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    webhookAllowPrivate: bool(env, 'WEBHOOK_ALLOW_PRIVATE', false),
    transformationMaxYieldPercent: int(env, 'TRANSFORMATION_MAX_YIELD_PERCENT', 100, 1, 1000),
    samplingRecheckDays: int(env, 'SAMPLING_RECHECK_DAYS', 7, 1, 365),
    auditSigningKey: auditSigningKey(env, production, dataDir),
    epcisBodyLimit: int(env, 'EPCIS_BODY_LIMIT_BYTES', 64 * MIB, MIB, 1024 * MIB),
    csvBodyLimit: int(env, 'CSV_BODY_LIMIT_BYTES', 32 * MIB, MIB, 1024 * MIB),
    jobs: {
      lockMs: int(env, 'JOB_LOCK_MS', 30_000, 1000, 600_000),
      stalledIntervalMs: int(env, 'JOB_STALLED_INTERVAL_MS', 30_000, 200, 600_000),
      maxStalledCount: int(env, 'JOB_MAX_STALLED_COUNT', 1, 0, 100),
      sweepEveryMs: int(env, 'JOB_SWEEP_EVERY_MS', 60_000, 200, 86_400_000),
      maxRequeues: int(env, 'JOB_MAX_REQUEUES', 3, 0, 100),
    },
    metrics: metricsAccess(env),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
