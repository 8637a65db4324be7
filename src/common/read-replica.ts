import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, ObjectLiteral, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';

export type ReplicaState = 'none' | 'up' | 'lagging' | 'down';

/** How often the replica's lag is measured, and how soon a replica that failed is tried again. */
const CHECK_EVERY_MS = 1000;

/**
 * Reads that may be a little stale — public pages, reports, dashboards, indicators, exports — go to
 * DATABASE_REPLICA_URL while it is reachable and at most REPLICA_MAX_LAG_MS behind; everything else
 * (writes, reads that decide a write, a writer's own follow-up reads) uses the primary, because
 * those callers never ask this class. Without a replica, or while it is down or behind, reads go to
 * the primary: a replica outage costs capacity, never answers.
 *
 * A second DataSource rather than TypeORM's `replication` option: that option refuses to start
 * while a replica is down and sends every find outside a transaction to the replica by default.
 */
@Injectable()
export class ReadReplica implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplica');
  private replica?: DataSource;
  private opening?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private lagMs = 0;
  private reachable = false;

  constructor(
    @InjectDataSource() private readonly primary: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get state(): ReplicaState {
    if (!this.config.databaseReplicaUrl) return 'none';
    if (!this.reachable) return 'down';
    return this.lagMs > this.config.replicaMaxLagMs ? 'lagging' : 'up';
  }

  /** Seconds the replica is behind the primary (0 when caught up); null without a reachable replica. */
  get lagSeconds(): number | null {
    return this.reachable ? this.lagMs / 1000 : null;
  }

  /** Runs a read-only statement on the replica when it is usable, else (or if it fails to connect) on the primary. */
  query<T = unknown>(sql: string, params: unknown[] = []): Promise<T> {
    return this.read((m) => m.query(sql, params) as Promise<T>);
  }

  /**
   * Runs a read (repositories and queries of the manager it is given) on the replica when it is
   * usable, else — or if the replica stops answering — on the primary. For reports and exports:
   * what the replica has not replayed yet is missing from the answer (bounded by REPLICA_MAX_LAG_MS).
   */
  async read<T>(load: (m: EntityManager) => Promise<T>): Promise<T> {
    const answered = await this.onReplica(load);
    return answered ? answered.value : await load(this.primary.manager);
  }

  /**
   * A lookup that may be a little stale but must not call a new thing unknown: what the replica
   * does not have (null or undefined) is asked of the primary, so a code printed a moment ago, or
   * a lot just registered, is found at once. Guessed codes cost the primary what they cost without
   * a replica (callers cache misses).
   */
  async lookup<T>(load: (m: EntityManager) => Promise<T | null | undefined>): Promise<T | null> {
    const answered = await this.onReplica(load);
    return answered?.value ?? await load(this.primary.manager) ?? null;
  }

  /** The replica's answer, or undefined when there is no usable replica or it stopped answering. */
  private async onReplica<T>(load: (m: EntityManager) => Promise<T>): Promise<{ value: T } | undefined> {
    const replica = this.state === 'up' ? this.replica : undefined;
    if (!replica) return undefined;
    try {
      return { value: await load(replica.manager) };
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      this.markDown(error);
      return undefined;
    }
  }

  onApplicationBootstrap(): void {
    if (!this.config.databaseReplicaUrl) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.opening;
    if (this.replica?.isInitialized) await this.replica.destroy();
  }

  private async check(): Promise<void> {
    try {
      if (!this.replica?.isInitialized) await this.open();
      this.lagMs = await this.measureLag();
      if (!this.reachable) this.logger.log({ msg: 'reading from the replica', lagMs: this.lagMs });
      this.reachable = true;
    } catch (error) {
      this.markDown(error);
    }
  }

  private open(): Promise<void> {
    this.opening ??= (async () => {
      // The primary's entities (reads use repositories too); no migrations: the replica follows the primary's schema.
      const replica = new DataSource({
        type: 'postgres', url: this.config.databaseReplicaUrl, entities: this.primary.entityMetadatas.map((e) => e.target), synchronize: false, logging: false, poolSize: 10,
        extra: { application_name: 'tianfu-trace-replica-reads', options: '-c jit=off', connectionTimeoutMillis: 1000 },
      });
      await replica.initialize();
      this.replica = replica;
    })().finally(() => { this.opening = undefined; });
    return this.opening;
  }

  /**
   * Caught up (its replayed WAL reaches the primary's current position): 0. Else how old its last
   * replayed transaction is. A database that is not a standby (a copy, or a promoted replica) is 0.
   */
  private async measureLag(): Promise<number> {
    const [standby] = await this.replica!.query(
      `SELECT pg_is_in_recovery() AS recovering, pg_last_wal_replay_lsn()::text AS replayed,
              coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000, 0)::float8 AS age`,
    ) as { recovering: boolean; replayed: string | null; age: number }[];
    if (!standby.recovering || !standby.replayed) return 0;
    const [primary] = await this.primary.query('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::float8 AS behind', [standby.replayed]) as { behind: number }[];
    return primary.behind <= 0 ? 0 : standby.age;
  }

  private markDown(error: unknown): void {
    if (this.reachable) this.logger.warn({ msg: 'replica unreachable; reading from the primary until it answers again', error: String(error) });
    this.reachable = false;
  }
}

/** Errors that mean "this server is not answering", as opposed to a bad statement. */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|57P0[1-3]|08\d\d\d|3D000|53300)$/.test(code)
    || /Connection terminated|timeout exceeded when trying to connect|Cannot use a pool after calling end/i.test(String(error));
}

/**
 * The repository `repo` stands for, in `reader` when one is given (a read on the replica, see
 * ReadReplica.read): services' read methods take an optional reader and default to their own repository.
 */
export function repositoryIn<T extends ObjectLiteral>(repo: Repository<T>, reader?: EntityManager): Repository<T> {
  return reader ? reader.getRepository(repo.target) : repo;
}
