import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FLOW_OUTBOX_QUEUE, type FlowStep, type JobActor, type JobPayloads, type QueueName } from '../../../libs/queues';
import { Dispatched, JobDispatcher } from './job-dispatcher';

const POLL_MS = 250;

/**
 * BullMQ refuses a custom job id with ':' (its key separator), and the relay would retry that row —
 * and every row after it — forever: refused where the job is recorded, in every mode (the embedded
 * dispatcher would take it), so the writer's transaction fails and a test sees it.
 */
function assertJobId(jobId: string): void {
  if (jobId.includes(':') || jobId.length === 0) throw new Error(`outbox: job id "${jobId}" must be non-empty and without ':' (BullMQ refuses it)`);
}
const BATCH = 100;
/** A job the queue refuses this often while it accepts others is set aside (failed_at) instead of retried. */
const MAX_RELAY_ATTEMPTS = 5;

/**
 * Records jobs in the caller's transaction and relays them to the dispatcher. Several relays
 * (API and worker processes) may run at once: SKIP LOCKED gives each row to one of them, and the
 * job id makes a second enqueue harmless.
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly dispatcher: JobDispatcher,
  ) {}

  /** `payload.actor`, when given, is whom the job acts for (else the job acts as itself). */
  async add<Q extends QueueName>(manager: EntityManager, queue: Q, jobId: string, payload: JobPayloads[Q] & { actor?: JobActor }): Promise<void> {
    assertJobId(jobId);
    await manager.query('INSERT INTO outbox (queue, job_id, payload) VALUES ($1, $2, $3)', [queue, jobId, JSON.stringify(payload)]);
  }

  /** Records a flow (steps run in order) in the caller's transaction; `flowId` dedupes it. */
  async addFlow(manager: EntityManager, flowId: string, steps: FlowStep[]): Promise<void> {
    for (const step of steps) assertJobId(step.jobId);
    await manager.query('INSERT INTO outbox (queue, job_id, payload) VALUES ($1, $2, $3)', [FLOW_OUTBOX_QUEUE, flowId, JSON.stringify({ steps })]);
  }

  /**
   * The latest record of a job id: undefined when none was recorded, null while it waits for the
   * relay, else when and where it was handed over.
   */
  async dispatched(jobId: string): Promise<Dispatched | null | undefined> {
    const [row] = await this.dataSource.query(
      'SELECT dispatched_at AS "at", dispatched_to AS "to" FROM outbox WHERE job_id = $1 ORDER BY id DESC LIMIT 1', [jobId],
    ) as { at: Date | null; to: string | null }[];
    if (!row) return undefined;
    return row.at ? { at: row.at, to: row.to } : null;
  }

  /** Jobs recorded but not yet relayed, how long the oldest has waited (0 when none), and jobs the relay gave up on. */
  async backlog(): Promise<{ pending: number; oldestSeconds: number; failed: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE failed_at IS NULL)::int AS pending,
              coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE failed_at IS NULL)), 0)::float8 AS "oldestSeconds",
              count(*) FILTER (WHERE failed_at IS NOT NULL)::int AS failed
       FROM outbox WHERE dispatched_at IS NULL`,
    ) as { pending: number; oldestSeconds: number; failed: number }[];
    return row;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.poke(), POLL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Relay now (call after committing a transaction that added jobs). */
  poke(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.relay()
      .catch((error: unknown) => this.logger.warn({ msg: 'relay failed; will retry', error: String(error) }))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          void this.poke();
        }
      });
    return this.running;
  }

  /**
   * Hands pending jobs to the dispatcher, oldest first. When the queue is down every job waits for the
   * next attempt; when it is up and refuses one job, that job alone is counted against it (and set
   * aside after MAX_RELAY_ATTEMPTS) so it never holds up the jobs recorded after it.
   */
  private async relay(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    let relayed: number;
    do {
      relayed = await this.dataSource.transaction(async (manager) => {
        const rows = await manager.query(
          `SELECT id, queue, job_id AS "jobId", payload FROM outbox WHERE dispatched_at IS NULL AND failed_at IS NULL
           ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        ) as { id: string; queue: string; jobId: string; payload: Record<string, unknown> }[];
        const handed: string[] = [];
        for (const row of rows) {
          try {
            if (row.queue === FLOW_OUTBOX_QUEUE) await this.dispatcher.dispatchFlow((row.payload as { steps: FlowStep[] }).steps);
            else await this.dispatcher.dispatch(row.queue, row.jobId, row.payload);
            handed.push(row.id);
          } catch (error) {
            if ((await this.dispatcher.health()) === 'down') throw error;
            await this.refused(manager, row, error);
          }
        }
        if (handed.length > 0) {
          // Relayed means it survives a failover of the queue's server: until a replica holds the
          // jobs they stay pending (the next pass hands them again; their ids make that a no-op).
          if (!(await this.dispatcher.durable())) {
            this.unreplicated(handed.length);
            return 0;
          }
          await manager.query('UPDATE outbox SET dispatched_at = now(), dispatched_to = $2 WHERE id = ANY($1::bigint[])', [handed, this.dispatcher.transport]);
        }
        return rows.length;
      });
    } while (relayed === BATCH);
  }

  private lastUnreplicatedWarning = 0;

  /** At most one warning a minute while no replica acknowledges (a replica down, or none attached). */
  private unreplicated(count: number): void {
    if (Date.now() - this.lastUnreplicatedWarning < 60_000) return;
    this.lastUnreplicatedWarning = Date.now();
    this.logger.warn({ msg: 'no Redis replica acknowledged the relayed jobs within REDIS_RELAY_WAIT_MS; they stay pending and are relayed again', jobs: count });
  }

  private async refused(manager: EntityManager, row: { id: string; queue: string; jobId: string }, error: unknown): Promise<void> {
    const [{ failed }] = await manager.query(
      `UPDATE outbox SET relay_attempts = relay_attempts + 1, relay_error = left($2, 2000),
              failed_at = CASE WHEN relay_attempts + 1 >= $3 THEN now() END
       WHERE id = $1 RETURNING failed_at IS NOT NULL AS failed`,
      [row.id, String(error), MAX_RELAY_ATTEMPTS],
    ) as { failed: boolean }[];
    const entry = { queue: row.queue, jobId: row.jobId, error: String(error) };
    if (failed) this.logger.error({ msg: `the queue refused this job ${MAX_RELAY_ATTEMPTS} times; set aside (outbox.failed_at)`, ...entry });
    else this.logger.warn({ msg: 'the queue refused this job; will retry it', ...entry });
  }
}
