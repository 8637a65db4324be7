/**
 * Webhook deliveries per second to a local receiver (node:http in this process, answers 200).
 * BENCH_COUNT batches are put on hold (8 requests in flight); each hold notifies the owner, whose
 * one subscription gets a signed POST.
 * - jobs in-process (no REDIS_URL): deliveries run while the holds come in; reports the delay from
 *   a hold's response to its delivery (p50/p99) and the rate, which the holds bound.
 * - BullMQ worker process (when Redis answers on 127.0.0.1:6379): the worker starts only after
 *   every hold is in, so the backlog measures delivery capacity (worker concurrency 2).
 *   npm run build && npx tsx bench/webhooks.ts     (needs PostgreSQL; Redis for the second mode)
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import IORedis from 'ioredis';
import { BENCH_ADMIN_TOKEN, BENCH_AUDIT_SIGNING_KEY, call, demoBatch, runBench, startProcess, stopProcess, table, withApi } from './support';

const COUNT = Number(process.env.BENCH_COUNT ?? 300);
const REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function redisUp(): Promise<boolean> {
  const redis = new IORedis(REDIS, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function run(mode: string, extraEnv: Record<string, string>) {
  const received: number[] = [];
  const ids = new Set<string>();
  const heldAt = new Map<string, number>();
  const delays: number[] = [];
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => { done = resolve; });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(now());
      const batchId = String((JSON.parse(Buffer.concat(chunks).toString()) as { payload: { batchId: string } }).payload.batchId);
      if (heldAt.has(batchId)) delays.push(now() - heldAt.get(batchId)!);
      ids.add(String(req.headers['x-tianfu-delivery']));
      res.writeHead(200).end();
      if (ids.size >= COUNT) done();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  try {
    return await withApi(extraEnv, async ({ url, databaseUrl }) => {
      let worker: ReturnType<typeof startProcess> | undefined;
      try {
        const { token, batchId } = await demoBatch(url);
        await call(url, '/api/v1/webhooks', token, { url: receiverUrl, kinds: ['batch.on_hold'] });
        const batch = (await call(url, `/api/v1/batches/${batchId}`, token)).json;
        const batches: string[] = [];
        for (let i = 0; i < COUNT; i++) {
          batches.push((await call(url, '/api/v1/batches', token, { productId: batch.product.id, siteId: batch.siteId, quantity: { value: '10', unit: 'kg' }, producedOn: '2026-10-08' })).json.id);
        }
        const started = now();
        let next = 0;
        await Promise.all(Array.from({ length: 8 }, async () => {
          while (next < batches.length) {
            const id = batches[next++];
            await call(url, `/api/v1/batches/${id}/status`, token, { status: 'on_hold', reason: 'bench' });
            heldAt.set(id, now());
          }
        }));
        const holdsDone = now();
        if (extraEnv.REDIS_URL) {
          heldAt.clear(); // the backlog waits for the worker on purpose: no delays to report
          worker = startProcess(process.execPath, ['dist/src/worker.js'], {
            DATABASE_URL: databaseUrl, REDIS_URL: extraEnv.REDIS_URL, QUEUE_PREFIX: extraEnv.QUEUE_PREFIX, ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
            SECRET_KEY: 'bench-secret-key-0123456789-0123456789', AUDIT_SIGNING_KEY: BENCH_AUDIT_SIGNING_KEY, PUBLIC_BASE_URL: 'https://trace.example.cn', LOG_LEVEL: 'warn', WEBHOOK_ALLOW_PRIVATE: 'true',
          });
        }
        await all;
        const end = received[received.length - 1];
        const sorted = delays.sort((a, b) => a - b);
        const p = (q: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]) : '—');
        return {
          mode,
          deliveries: ids.size,
          'requests received': received.length,
          'holds issued in ms': Math.round(holdsDone - started),
          'hold → delivery p50/p99 ms': `${p(0.5)} / ${p(0.99)}`,
          'first → last delivery ms': Math.round(end - received[0]),
          'deliveries/s (first → last delivery)': Math.round((COUNT - 1) / ((end - received[0]) / 1000)),
        };
      } finally {
        if (worker) await stopProcess(worker);
      }
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

runBench(async () => {
  const rows = [await run('jobs in-process', { WEBHOOK_ALLOW_PRIVATE: 'true' })];
  if (await redisUp()) rows.push(await run('BullMQ worker process', { REDIS_URL: REDIS, QUEUE_PREFIX: `bench-${process.pid}`, WEBHOOK_ALLOW_PRIVATE: 'true' }));
  console.log(`\n${COUNT} webhook deliveries (batch.on_hold) to a local receiver, PostgreSQL\n`);
  console.log(table(rows));
});
