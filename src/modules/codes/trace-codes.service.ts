import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { generateTraceCode, generateTraceCodes } from '../../../libs/codes';
import { isUniqueViolation } from '../../common/db-errors';
import { TraceCode } from './trace-code.entity';
import { repositoryIn } from '../../common/read-replica';

/** Rows per INSERT … SELECT unnest(): big enough to be fast, small enough for PGlite's memory. */
const INSERT_CHUNK = 10_000;

export interface ScanCount {
  code: string;
  count: number;
  first: Date;
  last: Date;
}

@Injectable()
export class TraceCodesService {
  constructor(@InjectRepository(TraceCode) private readonly codes: Repository<TraceCode>) {}

  /** One code for a batch, inside the caller's transaction (a collision of 65-bit codes is retried). */
  async issueBatchCode(manager: EntityManager, batchId: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const code = generateTraceCode();
      try {
        await manager.query('SAVEPOINT issue_code');
        await manager.query(`INSERT INTO trace_codes (code, kind, batch_id) VALUES ($1, 'batch', $2)`, [code, batchId]);
        await manager.query('RELEASE SAVEPOINT issue_code');
        return code;
      } catch (error) {
        await manager.query('ROLLBACK TO SAVEPOINT issue_code');
        if (!isUniqueViolation(error) || attempt >= 3) throw error;
      }
    }
  }

  /**
   * Item codes for serials firstSerial … firstSerial+count−1 of a batch. A collision (about 1 in
   * 10^14 per run of 100,000) aborts the caller's transaction; the caller's retry makes new codes.
   */
  async issueItemCodes(manager: EntityManager, batchId: string, printRunId: string, firstSerial: number, count: number): Promise<void> {
    const codes = generateTraceCodes(count);
    for (let start = 0; start < count; start += INSERT_CHUNK) {
      const chunk = codes.slice(start, start + INSERT_CHUNK);
      await manager.query(
        `INSERT INTO trace_codes (code, kind, batch_id, print_run_id, serial)
         SELECT c, 'item', $2, $3, $4 + o - 1 FROM unnest($1::varchar[]) WITH ORDINALITY AS t(c, o)`,
        [chunk, batchId, printRunId, firstSerial + start],
      );
    }
  }

  /** `reader`: a read on the replica (ReadReplica.lookup), for public pages; the primary otherwise. */
  findByCode(code: string, reader?: EntityManager): Promise<TraceCode | null> {
    return repositoryIn(this.codes, reader).findOneBy({ code });
  }

  /** Item codes of a print run in serial order, a page at a time (label rendering streams these). */
  itemCodesForRun(printRunId: string, afterSerial: number, limit: number): Promise<{ code: string; serial: number }[]> {
    return this.codes.query(
      `SELECT code, serial FROM trace_codes WHERE print_run_id = $1 AND serial > $2 ORDER BY serial LIMIT $3`,
      [printRunId, afterSerial, limit],
    );
  }

  /** Adds buffered scan counts in one statement. */
  async addScanCounts(counts: ScanCount[], manager: EntityManager = this.codes.manager): Promise<void> {
    if (counts.length === 0) return;
    await manager.query(
      `UPDATE trace_codes t
          SET scan_count = t.scan_count + v.n,
              first_scanned_at = COALESCE(t.first_scanned_at, v.first),
              last_scanned_at = GREATEST(COALESCE(t.last_scanned_at, v.last), v.last)
         FROM unnest($1::varchar[], $2::int[], $3::timestamptz[], $4::timestamptz[]) AS v(code, n, first, last)
        WHERE t.code = v.code`,
      [counts.map((c) => c.code), counts.map((c) => c.count), counts.map((c) => c.first.toISOString()), counts.map((c) => c.last.toISOString())],
    );
  }

  /** Sets the distinct-client counts the scan recorder computed, in one statement. */
  async setClientCounts(counts: { code: string; clients: number }[], manager: EntityManager = this.codes.manager): Promise<void> {
    if (counts.length === 0) return;
    await manager.query(
      `UPDATE trace_codes t SET client_count = v.n FROM unnest($1::varchar[], $2::int[]) AS v(code, n) WHERE t.code = v.code`,
      [counts.map((c) => c.code), counts.map((c) => c.clients)],
    );
  }
}
