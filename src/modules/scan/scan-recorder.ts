import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ScanCount, TraceCodesService } from '../codes';
import type { ClientFingerprint, ClientInfo } from './domain/client-info';

export interface ScanRecord extends ClientInfo, ClientFingerprint {
  code: string;
  kind: 'batch' | 'item';
  batchId: string;
  /** Epoch milliseconds. */
  at: number;
  via: 't' | 'dl' | 'api';
}

/** Above this many buffered scans a flush starts at once rather than waiting for the timer. */
const FLUSH_AT = 5_000;
/** If the database is down, keep at most this many scans; older ones are dropped (and counted). */
const MAX_BUFFER = 200_000;

/**
 * Buffered scans as columns of primitives (one array per field) rather than an object per scan:
 * a second's worth of objects would outlive the young generation and make garbage collection
 * cost the scan page noticeably; strings here are the cache's own, so a scan adds almost nothing.
 */
class ScanColumns {
  readonly code: string[] = [];
  readonly batchId: string[] = [];
  readonly at: number[] = [];
  readonly via: string[] = [];
  readonly device: string[] = [];
  readonly os: string[] = [];
  readonly app: string[] = [];
  readonly lang: (string | null)[] = [];
  readonly kind: string[] = [];
  readonly network: number[] = [];
  readonly client: number[] = [];

  get size(): number {
    return this.code.length;
  }

  push(s: ScanRecord): void {
    this.code.push(s.code);
    this.batchId.push(s.batchId);
    this.at.push(s.at);
    this.via.push(s.via);
    this.device.push(s.device);
    this.os.push(s.os);
    this.app.push(s.app);
    this.lang.push(s.lang);
    this.kind.push(s.kind);
    this.network.push(s.network);
    this.client.push(s.client);
  }

  /** This batch followed by `later`, keeping the newest `max` scans. */
  concat(later: ScanColumns, max: number): ScanColumns {
    const out = new ScanColumns();
    const keys = ['code', 'batchId', 'at', 'via', 'device', 'os', 'app', 'lang', 'kind', 'network', 'client'] as const;
    for (const key of keys) (out[key] as unknown[]).push(...(this[key] as unknown[]).concat(later[key] as unknown[]).slice(-max));
    return out;
  }

  /** Scans per code, with first and last time (for the counters on trace_codes). */
  counts(): ScanCount[] {
    const counts = new Map<string, { count: number; first: number; last: number }>();
    for (let i = 0; i < this.size; i++) {
      const c = counts.get(this.code[i]);
      const at = this.at[i];
      if (c) {
        c.count++;
        if (at < c.first) c.first = at;
        if (at > c.last) c.last = at;
      } else {
        counts.set(this.code[i], { count: 1, first: at, last: at });
      }
    }
    return [...counts].map(([code, c]) => ({ code, count: c.count, first: new Date(c.first), last: new Date(c.last) }));
  }

  /** Item scans per (code, client), with first and last time: the rows of scan_clients. */
  itemClients(): ScanClientColumns {
    const seen = new Map<string, number>();
    const out: ScanClientColumns = { code: [], client: [], network: [], first: [], last: [] };
    for (let i = 0; i < this.size; i++) {
      if (this.kind[i] !== 'item') continue;
      const key = `${this.code[i]}|${this.client[i]}`;
      const at = this.at[i];
      const row = seen.get(key);
      if (row === undefined) {
        seen.set(key, out.code.length);
        out.code.push(this.code[i]);
        out.client.push(this.client[i]);
        out.network.push(this.network[i]);
        out.first.push(at);
        out.last.push(at);
      } else {
        out.first[row] = Math.min(out.first[row], at);
        out.last[row] = Math.max(out.last[row], at);
      }
    }
    return out;
  }
}

interface ScanClientColumns {
  code: string[];
  client: number[];
  network: number[];
  first: number[];
  last: number[];
}

/**
 * One network (an IPv4 /24 or IPv6 /48) counts as at most this many clients: a household's phones
 * are a few, while a single machine rotating its user agent must not pass for a crowd.
 */
const CLIENTS_PER_NETWORK = 3;

/** Distinct clients of a code counted for the copy warning (see ScanRecorder.countClients). */
export interface ClientCount {
  code: string;
  clients: number;
}

/**
 * Scans are recorded in memory and written in batches (one multi-row insert and one counter
 * update per flush), so a busy scan page costs no database write per request. A crash loses at
 * most one flush interval of scan records; the page itself never waits for them.
 */
@Injectable()
export class ScanRecorder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ScanRecorder');
  private buffer = new ScanColumns();
  /** Scans per code in `buffer` and in the flush under way. */
  private readonly pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private dropped = 0;
  /** Since this process started, for /metrics. */
  private readonly totals = { flushed: 0, dropped: 0 };
  private readonly flushListeners: ((counts: ScanCount[], clients: ClientCount[]) => void)[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly traceCodes: TraceCodesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  record(scan: ScanRecord): void {
    if (this.buffer.size >= MAX_BUFFER) {
      // The database has been down for a while: keep the newest scans.
      this.dropped += this.buffer.size;
      this.totals.dropped += this.buffer.size;
      this.pending.clear();
      this.buffer = new ScanColumns();
    }
    this.buffer.push(scan);
    this.pending.set(scan.code, (this.pending.get(scan.code) ?? 0) + 1);
    if (this.buffer.size >= FLUSH_AT) void this.flush();
  }

  /** Called after each successful flush with the counts it wrote (caches add them) and the codes' distinct clients now. */
  onFlushed(listener: (counts: ScanCount[], clients: ClientCount[]) => void): void {
    this.flushListeners.push(listener);
  }

  /** Scans waiting in memory, and written and dropped since this process started. */
  stats(): { buffered: number; flushed: number; dropped: number } {
    return { buffered: this.buffer.size, ...this.totals };
  }

  /** Scans of this code not yet written (added to the stored count when showing it). */
  pendingFor(code: string): number {
    return this.pending.get(code) ?? 0;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.config.scanFlushIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /**
   * Writes what is buffered now. A flush already under way (the timer's) may have taken only older
   * scans, so this waits for it and then writes what is left: when it resolves, every scan recorded
   * before the call is written (or, if the database failed, back in the buffer).
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.size === 0) return;
    const batch = this.buffer;
    this.buffer = new ScanColumns();
    this.flushing = this.write(batch)
      .catch((error: unknown) => {
        // Put them back (oldest first) and try again on the next tick.
        this.buffer = batch.concat(this.buffer, MAX_BUFFER);
        this.logger.warn({ msg: 'scan flush failed; will retry', scans: batch.size, error: String(error) });
      })
      .finally(() => {
        this.flushing = undefined;
      });
    await this.flushing;
  }

  private async write(scans: ScanColumns): Promise<void> {
    const counts = scans.counts();
    let clientCounts: ClientCount[] = [];
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO scan_events (code, batch_id, scanned_at, via, device, os, app, lang)
         SELECT c, b, to_timestamp(t / 1000.0), v, d, o, a, l
           FROM unnest($1::varchar[], $2::uuid[], $3::float8[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[])
             AS s(c, b, t, v, d, o, a, l)`,
        [scans.code, scans.batchId, scans.at, scans.via, scans.device, scans.os, scans.app, scans.lang],
      );
      await this.traceCodes.addScanCounts(counts, m);
      clientCounts = await this.countClients(m, scans.itemClients());
    });
    this.totals.flushed += scans.size;
    for (const { code, count } of counts) {
      const left = (this.pending.get(code) ?? count) - count;
      if (left > 0) this.pending.set(code, left);
      else this.pending.delete(code);
    }
    for (const listener of this.flushListeners) listener(counts, clientCounts);
    if (this.dropped > 0) {
      this.logger.warn({ msg: 'scan records dropped while the database was unavailable', dropped: this.dropped });
      this.dropped = 0;
    }
  }

  /**
   * Records who scanned each item code and recounts its distinct clients within the window, so
   * a copy warning needs many people, not many requests. A flush writes one row per code and
   * client however often that client scanned.
   */
  private async countClients(m: EntityManager, rows: ScanClientColumns): Promise<ClientCount[]> {
    if (rows.code.length === 0) return [];
    await m.query(
      `INSERT INTO scan_clients (code, client, network, first_seen, last_seen)
       SELECT c, k, n, to_timestamp(f / 1000.0), to_timestamp(l / 1000.0)
         FROM unnest($1::varchar[], $2::int8[], $3::int8[], $4::float8[], $5::float8[]) AS s(c, k, n, f, l)
       ON CONFLICT (code, client) DO UPDATE SET last_seen = GREATEST(scan_clients.last_seen, EXCLUDED.last_seen)`,
      [rows.code, rows.client, rows.network, rows.first, rows.last],
    );
    const since = new Date(Date.now() - this.config.scanCopyWarnWindowDays * 86_400_000);
    const counted = await m.query(
      `SELECT code, sum(LEAST(n, $3))::int AS clients
         FROM (SELECT code, network, count(*) AS n FROM scan_clients
                WHERE code = ANY($1::varchar[]) AND last_seen > $2 GROUP BY code, network) AS per_network
        GROUP BY code`,
      [[...new Set(rows.code)], since.toISOString(), CLIENTS_PER_NETWORK],
    ) as ClientCount[];
    await this.traceCodes.setClientCounts(counted, m);
    return counted;
  }
}
