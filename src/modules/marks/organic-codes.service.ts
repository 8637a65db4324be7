import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { auditedQuery } from '../audit';
import type { ParsedAllocation } from './domain/organic-codes';
import { OrganicCodeAllocation } from './organic-code.entity';

/**
 * 有机码: the codes a holder received for an organic certificate, and the print runs that take
 * them, one per label. Codes are rows keyed by the code, so a code exists once; a run takes free
 * codes by setting their run and serial (never cleared again), so a code is printed once, ever.
 */
@Injectable()
export class OrganicCodesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records an allocation; DUPLICATE_ORGANIC_CODE (nothing recorded) when any code is already known. */
  async record(m: EntityManager, markId: string, organizationId: string, allocation: ParsedAllocation, note: string | null): Promise<OrganicCodeAllocation> {
    const [saved] = await auditedQuery<{ id: string }>(m,
      `INSERT INTO organic_code_allocations (mark_id, organization_id, kind, count, first_code, last_code, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [markId, organizationId, allocation.kind, allocation.count, allocation.first, allocation.last, note],
      { target: OrganicCodeAllocation, verb: 'insert' });
    const width = allocation.first.length;
    const source = allocation.kind === 'range'
      ? { sql: "SELECT lpad(g::text, $4, '0') FROM generate_series($3::bigint, $5::bigint) g", params: [allocation.first, width, allocation.last] }
      : { sql: 'SELECT c FROM unnest($3::varchar[]) c', params: [allocation.codes] };
    const [{ inserted }] = await m.query(
      `WITH added AS (INSERT INTO organic_codes (code, mark_id, allocation_id) SELECT s.code, $1, $2 FROM (${source.sql}) AS s(code)
                      ON CONFLICT (code) DO NOTHING RETURNING code)
       SELECT count(*)::int AS inserted FROM added`,
      [markId, saved.id, ...source.params]) as { inserted: number }[];
    if (inserted !== allocation.count) {
      const taken = allocation.count - inserted;
      throw new DomainError('DUPLICATE_ORGANIC_CODE', `${taken} of these codes are already recorded; a 有机码 is recorded once`, {
        field: allocation.kind === 'range' ? 'from' : 'codes', rule: 'unique', alreadyRecorded: taken,
      });
    }
    return m.findOneByOrFail(OrganicCodeAllocation, { id: saved.id });
  }

  async remaining(markId: string, m: EntityManager = this.dataSource.manager): Promise<{ allocated: number; used: number; remaining: number }> {
    const [row] = await m.query(
      'SELECT count(*)::int AS allocated, count(print_run_id)::int AS used FROM organic_codes WHERE mark_id = $1', [markId],
    ) as { allocated: number; used: number }[];
    return { ...row, remaining: row.allocated - row.used };
  }

  /**
   * Gives each label of a new print run of `batchId` a 有机码, in the run's transaction, when the
   * batch claims an organic mark; otherwise nothing. Runs of one certificate take codes one after
   * the other (a transaction lock per certificate); a run larger than what remains is refused
   * with ORGANIC_CODES_EXHAUSTED and takes none. An idempotent retry of the run replays the first
   * answer and never reaches here, so it takes no codes twice.
   */
  async takeForPrintRun(m: EntityManager, batchId: string, printRunId: string, firstSerial: number, count: number): Promise<number> {
    const [claim] = await m.query("SELECT mark_id FROM mark_claims WHERE batch_id = $1 AND scheme = 'organic' ORDER BY mark_id LIMIT 1", [batchId]) as { mark_id: string }[];
    if (!claim) return 0;
    await m.query("SELECT pg_advisory_xact_lock(hashtext('organic-codes:' || $1))", [claim.mark_id]);
    // Wrapped in a SELECT: the driver answers a bare UPDATE … RETURNING as [rows, count].
    const [{ taken }] = await m.query(
      `WITH free AS (SELECT code FROM organic_codes WHERE mark_id = $1 AND print_run_id IS NULL ORDER BY code LIMIT $4),
            numbered AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS i FROM free),
            used AS (UPDATE organic_codes o SET print_run_id = $2, serial = $3 + n.i, used_at = now()
                       FROM numbered n WHERE o.code = n.code AND o.print_run_id IS NULL RETURNING o.code)
       SELECT count(*)::int AS taken FROM used`,
      [claim.mark_id, printRunId, firstSerial, count]) as { taken: number }[];
    if (taken < count) {
      throw new DomainError('ORGANIC_CODES_EXHAUSTED', `This run needs ${count} 有机码 but only ${taken} remain for the certificate; record the next allocation first`, {
        field: 'count', rule: 'organic_codes_remaining', requested: count, remaining: taken, markId: claim.mark_id,
      });
    }
    return taken;
  }

  /** The 有机码 printed on each label of a run, by serial (empty when the run has none). */
  async codesForRun(printRunId: string, fromSerial: number, toSerial: number): Promise<Map<number, string>> {
    const rows = await this.dataSource.query(
      'SELECT serial, code FROM organic_codes WHERE print_run_id = $1 AND serial BETWEEN $2 AND $3', [printRunId, fromSerial, toSerial],
    ) as { serial: number; code: string }[];
    return new Map(rows.map((r) => [r.serial, r.code]));
  }
}
