import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ScanCount, TraceCodesService } from '../codes/trace-codes.service';
import type { ClientInfo } from './domain/client-info';

export interface ScanRecord extends ClientInfo {
  code: string;
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
  }

  /** This batch followed by `later`, keeping the newest `max` scans. */
  concat(later: ScanColumns, max: number): ScanColumns {
    const out = new ScanColumns();
    const keys = ['code', 'batchId', 'at', 'via', 'device', 'os', 'app', 'lang'] as const;
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
  private readonly flushListeners: ((counts: ScanCount[]) => void)[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly traceCodes: TraceCodesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  record(scan: ScanRecord): void {
    if (this.buffer.size >= MAX_BUFFER) {
      // The database has been down for a while: keep the newest scans.
      this.dropped += this.buffer.size;
      this.pending.clear();
      this.buffer = new ScanColumns();
    }
    this.buffer.push(scan);
    this.pending.set(scan.code, (this.pending.get(scan.code) ?? 0) + 1);
    if (this.buffer.size >= FLUSH_AT) void this.flush();
  }

  /** Called after each successful flush with the counts it wrote (caches add them). */
  onFlushed(listener: (counts: ScanCount[]) => void): void {
    this.flushListeners.push(listener);
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
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO scan_events (code, batch_id, scanned_at, via, device, os, app, lang)
         SELECT c, b, to_timestamp(t / 1000.0), v, d, o, a, l
           FROM unnest($1::varchar[], $2::uuid[], $3::float8[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[])
             AS s(c, b, t, v, d, o, a, l)`,
        [scans.code, scans.batchId, scans.at, scans.via, scans.device, scans.os, scans.app, scans.lang],
      );
      await this.traceCodes.addScanCounts(counts, m);
    });
    for (const { code, count } of counts) {
      const left = (this.pending.get(code) ?? count) - count;
      if (left > 0) this.pending.set(code, left);
      else this.pending.delete(code);
    }
    for (const listener of this.flushListeners) listener(counts);
    if (this.dropped > 0) {
      this.logger.warn({ msg: 'scan records dropped while the database was unavailable', dropped: this.dropped });
      this.dropped = 0;
    }
  }
}
