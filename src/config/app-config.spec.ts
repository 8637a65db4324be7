import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519KeyId } from '../../libs/signing';
import { ConfigError, loadConfig } from './app-config';

const PRODUCTION = {
  DATABASE_URL: 'postgres://u@db:5432/tianfu',
  ADMIN_TOKEN: 'a'.repeat(20),
  SECRET_KEY: 's'.repeat(40),
  PUBLIC_BASE_URL: 'https://trace.example.cn/',
  AUDIT_SIGNING_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('configuration', () => {
  it('runs embedded with no settings, generating secrets it keeps across restarts', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tianfu-config-'));
    const first = loadConfig({ DATA_DIR: dataDir });
    expect(first).toMatchObject({ databaseUrl: undefined, redisUrl: undefined, port: 3000, demo: true, adminTokenGenerated: true });
    expect(first.publicBaseUrl).toBe('http://localhost:3000');
    expect(loadConfig({ DATA_DIR: dataDir }).adminToken).toBe(first.adminToken);
    expect(loadConfig({ DATA_DIR: dataDir }).secretKey).toBe(first.secretKey);
    expect(ed25519KeyId(loadConfig({ DATA_DIR: dataDir }).auditSigningKey)).toBe(ed25519KeyId(first.auditSigningKey));
    expect(readFileSync(join(dataDir, 'audit-signing-key'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('reads AUDIT_SIGNING_KEY as a base64 seed or a PKCS#8 PEM', () => {
    const seed = loadConfig(PRODUCTION).auditSigningKey;
    const pem = seed.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(ed25519KeyId(loadConfig({ ...PRODUCTION, AUDIT_SIGNING_KEY: pem }).auditSigningKey)).toBe(ed25519KeyId(seed));
  });

  it('reaches Redis through Sentinel or as a Cluster, with a hash-tagged queue prefix in a Cluster', () => {
    const base = { ...PRODUCTION, REDIS_URL: 'redis://:pw@mymaster/2' };
    expect(loadConfig(base).redisTopology).toEqual({ kind: 'single' });
    expect(loadConfig({ ...base, REDIS_SENTINELS: '10.0.0.1:26379, [::1]:26380' })).toMatchObject({
      redisTopology: { kind: 'sentinel', masterName: 'mymaster', sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: '::1', port: 26380 }] },
      queuePrefix: 'tianfu',
    });
    expect(loadConfig({ ...base, REDIS_SENTINELS: 'sentinel-a:26379', REDIS_SENTINEL_NAME: 'trace-redis' }).redisTopology).toMatchObject({ masterName: 'trace-redis' });
    const cluster = loadConfig({ ...PRODUCTION, REDIS_URL: 'redis://10.0.0.5:7000', REDIS_CLUSTER_NODES: '10.0.0.6:7000,10.0.0.7:7000', QUEUE_PREFIX: 'sc' });
    expect(cluster.redisTopology).toEqual({ kind: 'cluster', nodes: [{ host: '10.0.0.5', port: 7000 }, { host: '10.0.0.6', port: 7000 }, { host: '10.0.0.7', port: 7000 }] });
    expect(cluster.queuePrefix).toBe('{sc}');
    expect(loadConfig({ ...PRODUCTION, REDIS_URL: 'redis://a:7000', REDIS_CLUSTER_NODES: 'b:7000', QUEUE_PREFIX: '{sc}-x' }).queuePrefix).toBe('{sc}-x');
    for (const [env, message] of [
      [{ REDIS_SENTINELS: 'a:1' }, /need REDIS_URL/],
      [{ ...base, REDIS_SENTINELS: 'a' }, /REDIS_SENTINELS must be a comma-separated list of host:port, got "a"/],
      [{ ...base, REDIS_CLUSTER_NODES: 'a:70000' }, /REDIS_CLUSTER_NODES must be/],
      [{ ...base, REDIS_SENTINELS: 'a:1', REDIS_CLUSTER_NODES: 'b:2' }, /not both/],
      [{ ...base, REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'bad name' }, /REDIS_SENTINEL_NAME/],
    ] as const) {
      expect(() => loadConfig({ ...PRODUCTION, ...env })).toThrow(message);
    }
  });

  it('takes production settings and trims the base URL', () => {
    const config = loadConfig({ ...PRODUCTION, REDIS_URL: 'redis://cache:6379', PORT: '8080', TRUST_PROXY: 'true' });
    expect(config).toMatchObject({ port: 8080, trustProxy: true, demo: false, publicBaseUrl: 'https://trace.example.cn', adminTokenGenerated: false });
  });

  it.each([
    [{ ...PRODUCTION, ADMIN_TOKEN: undefined }, 'ADMIN_TOKEN'],
    [{ ...PRODUCTION, SECRET_KEY: 'short' }, 'SECRET_KEY'],
    [{ ...PRODUCTION, PUBLIC_BASE_URL: undefined }, 'PUBLIC_BASE_URL'],
    [{ ...PRODUCTION, DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ ...PRODUCTION, REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ ...PRODUCTION, PORT: 'eighty' }, 'PORT'],
    [{ ...PRODUCTION, PORT: '70000' }, 'PORT'],
    [{ ...PRODUCTION, LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ...PRODUCTION, TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ ...PRODUCTION, PRINT_RUN_MAX: '0' }, 'PRINT_RUN_MAX'],
    [{ ...PRODUCTION, AUDIT_SIGNING_KEY: undefined }, 'AUDIT_SIGNING_KEY is required'],
    [{ ...PRODUCTION, AUDIT_SIGNING_KEY: 'c2hvcnQ=' }, 'AUDIT_SIGNING_KEY in base64 must decode to 32 bytes'],
    [{ ...PRODUCTION, AUDIT_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' }, 'AUDIT_SIGNING_KEY is not a readable PEM key'],
    [{ PORT: '0', DATA_DIR: '/tmp/tianfu-config-spec' }, 'PUBLIC_BASE_URL'],
    [{ ...PRODUCTION, JOB_MAX_REQUEUES: '-1' }, 'JOB_MAX_REQUEUES'],
    [{ ...PRODUCTION, JOB_LOCK_MS: '10' }, 'JOB_LOCK_MS'],
  ])('stops with a message naming the bad setting (%#)', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});
