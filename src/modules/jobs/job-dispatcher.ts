import { randomUUID } from 'node:crypto';
import { Injectable, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import { FlowJob, FlowProducer, JobState, Queue } from 'bullmq';
import { isDomainError } from '../../../libs/errors';
import { backoffDelay, FlowStep, RETRY_POLICY } from '../../../libs/queues';
import { RedisClient, redisConnection } from '../../common/redis';
import type { AppConfig } from '../../config/app-config';
import { JobRunner } from './job-runner';

export type QueueHealth = 'in-process' | 'up' | 'down';

/** When and where the outbox relay handed a job over. */
export interface Dispatched {
  at: Date;
  /** null for jobs relayed before the transport was recorded. */
  to: string | null;
}

/** live: it will still run (or is running); lost: it never will; foreign: another transport holds it. */
export type JobFate = { state: 'live' } | { state: 'foreign' } | { state: 'lost'; cause: string };

const LIVE: JobFate = { state: 'live' };
const FOREIGN: JobFate = { state: 'foreign' };

export abstract class JobDispatcher {
  /** Where this dispatcher hands jobs; the outbox records it with each relayed job. */
  abstract readonly transport: string;
  /** Whether a job this transport was handed can still run. */
  abstract fate(queue: string, jobId: string, dispatched: Dispatched): Promise<JobFate>;
  abstract dispatch(queue: string, jobId: string, payload: Record<string, unknown>): Promise<void>;
  abstract health(): Promise<QueueHealth>;
  /** Jobs run one after the other: each starts when the previous one completed (a BullMQ flow). */
  abstract dispatchFlow(steps: FlowStep[]): Promise<void>;
  /**
   * Whether the jobs dispatched so far would survive losing the queue's server (a replica holds
   * them); false: record them as not yet relayed, to be dispatched again (their ids dedupe).
   */
  async durable(): Promise<boolean> {
    return true;
  }
}

const JOB_OPTIONS = {
  attempts: RETRY_POLICY.attempts,
  backoff: { type: 'exponential', delay: RETRY_POLICY.backoffMs },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
} as const;

/** Job states in which BullMQ will still run the job (a stalled active job goes back to waiting). */
const LIVE_STATES: ReadonlySet<JobState | 'unknown'> = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

/** Production: jobs go to BullMQ; the worker process runs them. */
/** Hooks run before TypeORM closes the database (onApplicationShutdown), so work in hand can finish. */
@Injectable()
export class BullmqDispatcher extends JobDispatcher implements BeforeApplicationShutdown {
  private readonly connection: RedisClient;
  private readonly queues = new Map<string, Queue>();
  private flowProducer?: FlowProducer;
  readonly transport: string;

  constructor(private readonly config: AppConfig) {
    super();
    this.transport = `bullmq:${config.queuePrefix}`;
    // Fail fast when Redis is down: the outbox keeps the job and the relay tries again.
    this.connection = redisConnection(config, { enableOfflineQueue: false });
  }

  async dispatch(queue: string, jobId: string, payload: Record<string, unknown>): Promise<void> {
    await this.queue(queue).add(queue, payload, { jobId, ...JOB_OPTIONS });
  }

  /**
   * A BullMQ flow: the last step is the root, each earlier step a child of the next one, so the
   * deepest (first) step runs first and a parent waits for its child to complete.
   */
  async dispatchFlow(steps: FlowStep[]): Promise<void> {
    let node: FlowJob | undefined;
    for (const step of steps) {
      const base = { name: step.queue, queueName: step.queue, data: step.payload, prefix: this.config.queuePrefix, opts: { jobId: step.jobId, ...JOB_OPTIONS } };
      node = (node ? { ...base, children: [node] } : base) as FlowJob;
    }
    if (node) await this.flows().add(node);
  }

  /**
   * Through Sentinel, a failover promotes a replica that may lack the last writes of its primary
   * (replication is asynchronous): WAIT 1 <REDIS_RELAY_WAIT_MS> blocks until one replica has
   * acknowledged every write this connection made (the queues and the flow producer share it), and
   * says how many did. None within the time: the outbox keeps the jobs pending and relays them again.
   */
  override async durable(): Promise<boolean> {
    const waitMs = this.config.redisRelayWaitMs;
    if (this.config.redisTopology.kind !== 'sentinel' || waitMs === 0) return true;
    const replicas = await this.connection.call('WAIT', 1, waitMs);
    return Number(replicas) >= 1;
  }

  async fate(queue: string, jobId: string, dispatched: Dispatched): Promise<JobFate> {
    if (dispatched.to !== null && dispatched.to !== this.transport) return FOREIGN;
    const job = await this.queue(queue).getJob(jobId);
    if (!job) return { state: 'lost', cause: 'the job is no longer in the queue' };
    const state = await job.getState();
    if (LIVE_STATES.has(state)) return LIVE;
    return { state: 'lost', cause: state === 'failed' ? job.failedReason || 'the job failed' : `the job is ${state} but its work is not finished` };
  }

  async health(): Promise<QueueHealth> {
    try {
      return (await this.connection.ping()) === 'PONG' ? 'up' : 'down';
    } catch {
      return 'down';
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.flowProducer?.close();
    this.connection.disconnect();
  }

  private flows(): FlowProducer {
    this.flowProducer ??= new FlowProducer({ connection: this.connection, prefix: this.config.queuePrefix });
    return this.flowProducer;
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.config.queuePrefix });
      this.queues.set(name, queue);
    }
    return queue;
  }
}

/**
 * Embedded mode: the same processors run in this process, one job at a time per queue, with the
 * same retry rules as the worker (backoff for infrastructure errors, none for domain errors).
 */
@Injectable()
export class InProcessDispatcher extends JobDispatcher implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly tails = new Map<string, Promise<void>>();
  private readonly pending = new Set<string>();
  private stopping = false;
  readonly transport = `in-process:${randomUUID()}`;
  private readonly startedAt = new Date();

  constructor(private readonly runner: JobRunner) {
    super();
  }

  async fate(_queue: string, jobId: string, dispatched: Dispatched): Promise<JobFate> {
    if (dispatched.to === null || dispatched.to === this.transport) {
      return this.pending.has(jobId) ? LIVE : { state: 'lost', cause: 'the job stopped without finishing its work' };
    }
    // In-process jobs live in the memory of the process that took them (one API process without
    // Redis): a job handed to a process that ran before this one died with it.
    if (dispatched.to.startsWith('in-process:') && dispatched.at < this.startedAt) return { state: 'lost', cause: 'the process running it stopped' };
    return FOREIGN;
  }

  dispatch(queue: string, jobId: string, payload: Record<string, unknown>): Promise<void> {
    return this.dispatchFlow([{ queue, jobId, payload } as FlowStep]);
  }

  /** The steps run in order on the first step's queue lane; a step that fails for good stops the rest (as in BullMQ). */
  dispatchFlow(steps: FlowStep[]): Promise<void> {
    const missing = steps.find((step) => !this.runner.has(step.queue));
    if (missing) return Promise.reject(new Error(`No processor for queue ${missing.queue}`));
    if (steps.length === 0) return Promise.resolve();
    const key = steps.map((s) => s.jobId).join('>');
    if (this.pending.has(key)) return Promise.resolve();
    this.pending.add(key);
    const runStep = async (step: FlowStep): Promise<boolean> => {
      for (let attempt = 1; !this.stopping; attempt++) {
        try {
          await this.runner.run(step.queue, step.payload, { jobId: step.jobId, attempt, progress: async () => undefined });
          return true;
        } catch (error) {
          const final = isDomainError(error) || attempt >= RETRY_POLICY.attempts;
          this.logger.warn({ msg: 'job failed', queue: step.queue, jobId: step.jobId, attempt, final, error: String(error) });
          if (final) return false;
          await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt)));
        }
      }
      return false;
    };
    const run = async () => {
      for (const step of steps) if (!(await runStep(step))) return;
    };
    const lane = steps[0].queue;
    const tail = (this.tails.get(lane) ?? Promise.resolve()).then(run).finally(() => this.pending.delete(key));
    this.tails.set(lane, tail);
    return Promise.resolve();
  }

  async health(): Promise<QueueHealth> {
    return 'in-process';
  }

  /** Lets running jobs finish (graceful shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.tails.values()]);
  }

  /** For tests and the CLI: resolves when every queued job has run. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.tails.values()]);
  }
}
