import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { QUEUES } from '../../../libs/queues';
import { RedisClient, redisConnection } from '../../common/redis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ReadReplica } from '../../common/read-replica';
import { IndicatorFoldService } from '../indicators';
import { OutboxService } from '../jobs';
import { ScanRecorder } from '../scan';
import { Metrics } from './metrics';

/** The pg pool TypeORM's postgres driver keeps (PGlite's stand-in has the same counters, or none). */
interface PgPool {
  totalCount?: number;
  idleCount?: number;
  waitingCount?: number;
  options?: { max?: number };
}

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed'] as const;
/** Durations are taken from this many most recent completed jobs per queue. */
const RECENT_JOBS = 100;
/** A source slower than this is left out of the scrape (Prometheus's own timeout is 10 s by default). */
const SOURCE_TIMEOUT_MS = 2000;

/**
 * A figure whose source is down (database, Redis) is left out of the scrape rather than failing it:
 * the other figures are what an operator needs most then.
 */
async function orSkip(read: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([read(), new Promise((resolve) => { timer = setTimeout(resolve, SOURCE_TIMEOUT_MS); })]);
  } catch {
    // left out; /health names the dependency that is down
  } finally {
    clearTimeout(timer);
  }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Figures read when Prometheus scrapes: scans buffered/flushed/dropped, the outbox backlog and its
 * lag, queue depths and recent job durations per queue (from BullMQ, so every worker's jobs count),
 * the indicator fold's backlog and lag, database pool usage.
 *
 * Job durations come from the most recent completed jobs BullMQ keeps (finished − started), as
 * quantiles: workers serve no HTTP, and this way one scrape of any API replica sees the whole cluster.
 */
@Injectable()
export class SystemMetrics implements OnModuleInit, OnApplicationShutdown {
  private connection?: RedisClient;
  private readonly queues: Queue[] = [];

  constructor(
    private readonly metrics: Metrics,
    private readonly recorder: ScanRecorder,
    private readonly outbox: OutboxService,
    private readonly fold: IndicatorFoldService,
    private readonly replica: ReadReplica,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    if (this.config.redisUrl) {
      this.connection = redisConnection(this.config, { enableOfflineQueue: false });
      for (const name of Object.values(QUEUES)) {
        const queue = new Queue(name, { connection: this.connection, prefix: this.config.queuePrefix });
        queue.on('error', () => undefined); // Redis down: the scrape leaves the queues out and /health says so
        this.queues.push(queue);
      }
    }
    const recorder = this.recorder;
    const scans = (name: string, help: string, pick: 'flushed' | 'dropped') => new Counter({
      name, help, registers,
      collect() {
        this.reset();
        this.inc(recorder.stats()[pick]);
      },
    });
    new Gauge({ name: 'tianfu_scans_buffered', help: 'Scan records in this process waiting to be written', registers, collect() { this.set(recorder.stats().buffered); } });
    scans('tianfu_scans_flushed_total', 'Scan records this process wrote to the database', 'flushed');
    scans('tianfu_scans_dropped_total', 'Scan records this process dropped because its buffer overflowed while the database was down', 'dropped');

    const outbox = this.outbox;
    const backlog = new Gauge({ name: 'tianfu_outbox_backlog', help: 'Jobs recorded in the outbox and not yet relayed to the queue', registers });
    new Gauge({
      name: 'tianfu_outbox_lag_seconds', help: 'How long the oldest unrelayed outbox job has waited (0 when none)', registers,
      async collect() {
        await orSkip(async () => {
          const b = await outbox.backlog();
          backlog.set(b.pending);
          this.set(b.oldestSeconds);
        });
      },
    });

    const fold = this.fold;
    new Gauge({ name: 'tianfu_indicator_fold_backlog', help: 'Indicator deltas not yet folded into the aggregates', registers, async collect() { await orSkip(async () => this.set(await fold.pending())); } });
    this.queueGauges(registers);

    const replica = this.replica;
    if (this.config.databaseReplicaUrl) {
      new Gauge({
        name: 'tianfu_replica_lag_seconds', help: 'How far the read replica is behind the primary (absent while it is unreachable)', registers,
        collect() {
          this.reset();
          if (replica.lagSeconds !== null) this.set(replica.lagSeconds);
        },
      });
      new Gauge({ name: 'tianfu_replica_in_use', help: '1 while replica-eligible reads go to the replica, 0 while the primary answers them (down or lagging)', registers, collect() { this.set(replica.state === 'up' ? 1 : 0); } });
    }
    const pool = () => (this.dataSource.driver as unknown as { master?: PgPool }).master;
    new Gauge({
      name: 'tianfu_db_pool_connections', help: 'Database pool connections by state (max: the pool size)', labelNames: ['state'] as const, registers,
      collect() {
        const p = pool();
        if (!p) return;
        this.set({ state: 'total' }, p.totalCount ?? 0);
        this.set({ state: 'idle' }, p.idleCount ?? 0);
        this.set({ state: 'waiting' }, p.waitingCount ?? 0);
        this.set({ state: 'max' }, p.options?.max ?? 0);
      },
    });
  }

  private queueGauges(registers: Metrics['registry'][]): void {
    const queues = this.queues;
    if (queues.length === 0) return;
    // BullMQ waits for a connection that is not ready; a scrape must not.
    const ready = () => this.connection?.status === 'ready';
    const durations = new Gauge({ name: 'tianfu_queue_job_duration_seconds', help: `Job run time per queue over its last ${RECENT_JOBS} completed jobs (quantile 0.5, 0.95, 1)`, labelNames: ['queue', 'quantile'] as const, registers });
    const since = new Gauge({ name: 'tianfu_queue_last_completed_seconds', help: 'Seconds since a job of this queue last completed (the indicator fold runs every 2 s: its fold lag)', labelNames: ['queue'] as const, registers });
    new Gauge({
      name: 'tianfu_queue_jobs', help: 'Jobs per queue and state (waiting, active, delayed, prioritized, waiting-children, failed)', labelNames: ['queue', 'state'] as const, registers,
      async collect() {
        this.reset();
        durations.reset();
        since.reset();
        if (!ready()) return;
        await Promise.all(queues.map((queue) => orSkip(async () => {
          const [counts, recent] = await Promise.all([queue.getJobCounts(...JOB_STATES), queue.getJobs(['completed'], 0, RECENT_JOBS - 1)]);
          for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          const runs = recent.filter((j) => j.finishedOn && j.processedOn).map((j) => (j.finishedOn! - j.processedOn!) / 1000).sort((a, b) => a - b);
          for (const q of [0.5, 0.95, 1]) if (runs.length) durations.set({ queue: queue.name, quantile: String(q) }, quantile(runs, q));
          const last = Math.max(0, ...recent.map((j) => j.finishedOn ?? 0));
          if (last > 0) since.set({ queue: queue.name }, (Date.now() - last) / 1000);
        })));
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
    this.connection?.disconnect();
  }
}
