import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ScanCount, TraceCodesService } from '../codes/trace-codes.service';
import type { ClientInfo } from './domain/client-info';

export interface ScanRecord extends ClientInfo {
  code: string;
  batchId: string;
  at: Date;
  via: 't' | 'dl' | 'api';
}

/** Above this many buffered scans a flush starts at once rather than waiting for the timer. */
const FLUSH_AT = 5_000;
/** If the database is down, keep at most this many scans; older ones are dropped (and counted). */
const MAX_BUFFER = 200_000;

/**
 * Scans are recorded in memory and written in batches (one multi-row insert and one counter
 * update per flush), so a busy scan page costs no database write per request. A crash loses at
 * most one flush interval of scan records; the page itself never waits for them.
 */
@Injectable()
export class ScanRecorder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ScanRecorder');
  private buffer: ScanRecord[] = [];
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
    if (this.buffer.length >= MAX_BUFFER) {
      this.unpend([this.buffer.shift()!]);
      this.dropped++;
    }
    this.buffer.push(scan);
    this.pending.set(scan.code, (this.pending.get(scan.code) ?? 0) + 1);
    if (this.buffer.length >= FLUSH_AT) void this.flush();
  }

  /** Called after each successful flush with the counts it wrote (caches add them). */
  onFlushed(listener: (counts: ScanCount[]) => void): void {
    this.flushListeners.push(listener);
  }

  /** Scans of this code not yet written (added to the stored count when showing it). */
  pendingFor(code: string): number {
    return this.pending.get(code) ?? 0;
  }

  private unpend(scans: ScanRecord[]): void {
    for (const s of scans) {
      const left = (this.pending.get(s.code) ?? 1) - 1;
      if (left > 0) this.pending.set(s.code, left);
      else this.pending.delete(s.code);
    }
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.config.scanFlushIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.buffer.length === 0) return Promise.resolve();
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.write(batch)
      .catch((error: unknown) => {
        // Put them back (oldest first) and try again on the next tick.
        this.buffer = batch.concat(this.buffer).slice(-MAX_BUFFER);
        this.logger.warn({ msg: 'scan flush failed; will retry', scans: batch.length, error: String(error) });
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  private async write(scans: ScanRecord[]): Promise<void> {
    const counts = new Map<string, ScanCount>();
    for (const s of scans) {
      const c = counts.get(s.code);
      if (c) {
        c.count++;
        if (s.at < c.first) c.first = s.at;
        if (s.at > c.last) c.last = s.at;
      } else {
        counts.set(s.code, { code: s.code, count: 1, first: s.at, last: s.at });
      }
    }
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO scan_events (code, batch_id, scanned_at, via, device, os, app, lang)
         SELECT * FROM unnest($1::varchar[], $2::uuid[], $3::timestamptz[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[])`,
        [
          scans.map((s) => s.code), scans.map((s) => s.batchId), scans.map((s) => s.at.toISOString()), scans.map((s) => s.via),
          scans.map((s) => s.device), scans.map((s) => s.os), scans.map((s) => s.app), scans.map((s) => s.lang),
        ],
      );
      await this.traceCodes.addScanCounts([...counts.values()], m);
    });
    this.unpend(scans);
    for (const listener of this.flushListeners) listener([...counts.values()]);
    if (this.dropped > 0) {
      this.logger.warn({ msg: 'scan records dropped while the database was unavailable', dropped: this.dropped });
      this.dropped = 0;
    }
  }
}
