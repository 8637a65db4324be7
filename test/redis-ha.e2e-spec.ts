import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { QUEUES } from '../libs/queues';
import { WorkerModule } from '../src/worker.module';
import { auth, createBatch, createOrg } from './support/factories';
import { eventually } from './support/processes';
import { RedisServers, startCluster, startSentinelGroup } from './support/redis-servers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Issue 21, item 5: BullMQ, the schedulers, the cluster channel and the rate limits work with Redis
 * Sentinel (and follow a failover) and with a Redis Cluster. Each case runs its own Redis servers, an
 * API and a worker (in this process: test/worker.e2e-spec.ts covers the worker process itself); the
 * job is a label render queued through the outbox to BullMQ.
 */
describe('Redis high availability', () => {
  async function renderLabels(t: TestApp, servers: RedisServers): Promise<void> {
    const org = await createOrg(t);
    const batch = await createBatch(t, org.token);
    const run = await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 20 }).expect(201);
    const url = `/api/v1/print-runs/${run.body.id}/labels.pdf?layout=a4-40`;
    await t.http().get(url).set(auth(org.token)).expect(202);
    await eventually(async () => ((await t.http().get(url).set(auth(org.token))).status === 200 ? true : undefined), undefined, undefined, servers.output);
  }

  async function withPlatform(env: Record<string, string>, work: (t: TestApp) => Promise<void>): Promise<void> {
    const t = await createTestApp({ ...env, LABEL_SYNC_MAX: '10' });
    let worker: INestApplicationContext | undefined;
    try {
      worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: false });
      await work(t);
    } finally {
      await worker?.close();
      await t.close();
    }
  }

  it('finds the primary through Sentinel and keeps running jobs after a failover', async () => {
    const servers = await startSentinelGroup('tianfu-ha');
    const [primary, replica, sentinel] = servers.ports;
    try {
      // The URL's host names the Sentinel group; the Sentinels say where its primary is.
      await withPlatform({ REDIS_URL: 'redis://tianfu-ha', REDIS_SENTINELS: `127.0.0.1:${sentinel}` }, async (t) => {
        await renderLabels(t, servers);
        expect(await servers.cli(primary, 'DBSIZE')).not.toBe('0');

        expect(await servers.cli(sentinel, 'SENTINEL', 'FAILOVER', 'tianfu-ha')).toBe('OK');
        await eventually(async () => ((await servers.cli(sentinel, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'tianfu-ha')).endsWith(String(replica)) ? true : undefined), 100, 100, servers.output);
        await eventually(async () => ((await servers.cli(replica, 'ROLE')).startsWith('master') ? true : undefined), 100, 100, servers.output);

        // The API and the worker reconnect to the promoted replica by themselves.
        await renderLabels(t, servers);
        await eventually(async () => ((await t.http().get('/health')).body.queue === 'up' ? true : undefined), 100, 100, servers.output);
      });
    } finally {
      await servers.stop();
    }
  });

  it('through Sentinel, marks outbox jobs relayed only once a replica holds them (WAIT), and relays them again until one does', async () => {
    const servers = await startSentinelGroup('tianfu-wait');
    const [primary, replica, sentinel] = servers.ports;
    try {
      await withPlatform({ REDIS_URL: 'redis://tianfu-wait', REDIS_SENTINELS: `127.0.0.1:${sentinel}`, REDIS_RELAY_WAIT_MS: '200' }, async (t) => {
        const db = t.app.get(DataSource);
        const renders = async () => await db.query(
          `SELECT job_id AS "jobId", dispatched_at IS NOT NULL AS relayed FROM outbox WHERE queue = $1 ORDER BY id`, [QUEUES.labelRender],
        ) as { jobId: string; relayed: boolean }[];
        // With the replica in sync: relayed (and rendered) as before. A WAIT that timed out under load
        // (200 ms here) leaves a row for the next pass, which marks it: relayed, eventually.
        await renderLabels(t, servers);
        const before = await eventually(async () => {
          const rows = await renders();
          return rows.length > 0 && rows.every((r) => r.relayed) ? rows : undefined;
        }, 100, 100, servers.output);

        // The replica leaves (the primary has none to acknowledge): the jobs still run on the primary,
        // but their outbox rows stay pending, handed again on every pass.
        expect(await servers.cli(replica, 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
        await eventually(async () => (/connected_slaves:0/.test(await servers.cli(primary, 'INFO', 'replication')) ? true : undefined), 100, 50, servers.output);
        await renderLabels(t, servers);
        const pending = (await renders()).slice(before.length);
        expect(pending.length).toBeGreaterThan(0);
        expect(pending.map((r) => r.relayed)).toEqual(pending.map(() => false));
        const jobKey = (jobId: string) => `${t.config.queuePrefix}:${QUEUES.labelRender}:${jobId}`;
        for (const { jobId } of pending) expect(await servers.cli(primary, 'EXISTS', jobKey(jobId))).toBe('1');

        // A replica again: the next pass's WAIT is acknowledged and the rows are marked relayed; each job ran once.
        expect(await servers.cli(replica, 'REPLICAOF', '127.0.0.1', String(primary))).toBe('OK');
        await eventually(async () => ((await renders()).every((r) => r.relayed) ? true : undefined), 100, 100, servers.output);
        for (const { jobId } of pending) expect(await servers.cli(primary, 'HGET', jobKey(jobId), 'atm')).toBe('1');
      });
    } finally {
      await servers.stop();
    }
  });

  it('runs queues on a Redis Cluster, each queue in one hash slot', async () => {
    const servers = await startCluster();
    const [seed, ...others] = servers.ports;
    try {
      const env = { REDIS_URL: `redis://127.0.0.1:${seed}`, REDIS_CLUSTER_NODES: others.map((p) => `127.0.0.1:${p}`).join(',') };
      await withPlatform(env, async (t) => {
        expect(t.config.queuePrefix).toMatch(/^\{.+\}$/);
        await renderLabels(t, servers);
        expect((await t.http().get('/health').expect(200)).body).toMatchObject({ queue: 'up' });
        // Every key the platform wrote carries the hash tag, so each queue's keys share a slot.
        const keys = (await Promise.all(servers.ports.map((p) => servers.cli(p, '--scan')))).join('\n').split('\n').filter(Boolean);
        expect(keys.length).toBeGreaterThan(0);
        expect(keys.filter((key) => !key.startsWith(t.config.queuePrefix))).toEqual([]);
      });
    } finally {
      await servers.stop();
    }
  });
});
