import { chinaDate } from '../../../libs/codes/calendar-date';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isDomainError } from '../../../libs/errors';
import { QUEUES } from '../../../libs/queues';
import { OutboxService } from '../jobs';
import { auditedQuery } from '../audit';
import { combineVerdicts, evaluate, type Verdict } from '../limits/domain';
import { LimitsService } from '../limits';
import { SampleTestRecordInput, TestRecordsService } from '../test-records';
import { CONSEQUENCE_STEPS } from './domain/custody';
import { Sample, SampleCustodyEvent, SampleResult } from './sample.entity';
import { toAnalyteResult } from './samples.service';
import { todayInChina } from '../../common/dates';


/**
 * The judge job: every result gets its verdict and the limit used, the sample the AND of them, in
 * one transaction per chunk with the test records and (for a failure) the consequence flow. A
 * chunk already done, or a sample already judged, is skipped: a re-run after a crash changes nothing.
 */
@Injectable()
export class SampleJudgingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly limits: LimitsService,
    private readonly testRecords: TestRecordsService,
    private readonly outbox: OutboxService,
  ) {}

  /** Run by the judge job, which acts as itself (the job scope), not as the lab request that submitted the chunk. */
  async judgeChunk(chunkId: string): Promise<{ judged: number; failed: number }> {
    const index = await this.limits.currentIndex();
    const outcome = await this.dataSource.transaction(async (manager) => {
      // Raw reads and writes: thousands of rows per chunk (auditedQuery records each changed row; the chunk's own row is bookkeeping).
      const [chunk] = await manager.query(
        'SELECT sample_ids AS "sampleIds", done_at AS "doneAt", failed_at AS "failedAt" FROM sample_judge_chunks WHERE id = $1 FOR UPDATE', [chunkId],
      ) as { sampleIds: string[]; doneAt: Date | null; failedAt: Date | null }[];
      if (!chunk || chunk.doneAt || chunk.failedAt) return { judged: 0, failed: 0 };
      const samples = await manager.query(
        `SELECT id, sample_no AS "sampleNo", recheck_of AS "recheckOf", stream, batch_id AS "batchId", organization_id AS "organizationId",
                region_code AS "regionCode", category_path AS "categoryPath", lab_organization_id AS "labOrganizationId", collected_at AS "collectedAt"
         FROM samples WHERE id = ANY($1::uuid[]) AND status = 'tested' ORDER BY id FOR UPDATE`, [chunk.sampleIds]) as Sample[];
      const results = samples.length ? await manager.query(
        `SELECT id::text AS id, sample_id AS "sampleId", analyte, value, unit, lod, loq, detected, method FROM sample_results
         WHERE sample_id = ANY($1::uuid[]) ORDER BY id`, [samples.map((s) => s.id)]) as SampleResult[] : [];
      const bySample = new Map<string, SampleResult[]>();
      for (const r of results) {
        const list = bySample.get(r.sampleId) ?? [];
        list.push(r);
        bySample.set(r.sampleId, list);
      }
      const today = todayInChina();
      const upd = { ids: [] as string[], verdicts: [] as string[], reasons: [] as string[], limits: [] as (string | null)[] };
      const judgedIds: string[] = [];
      const judgedVerdicts: string[] = [];
      const records: SampleTestRecordInput[] = [];
      const failures: Sample[] = [];
      for (const sample of samples) {
        const own = bySample.get(sample.id) ?? [];
        let verdict: Verdict;
        try {
          verdict = this.judgeSample(index, sample, own, upd);
        } catch (error) {
          // Results were checked on submission; a limit table changed since then leaves the sample tested, noted.
          if (!isDomainError(error)) throw error;
          await auditedQuery(manager, `INSERT INTO sample_custody_events (sample_id, status, by, note) VALUES ($1, 'tested', 'worker', $2) RETURNING id`,
            [sample.id, `not judged: ${error.message}`.slice(0, 300)], { target: SampleCustodyEvent, verb: 'insert' });
          continue;
        }
        sample.verdict = verdict;
        sample.judgedOn = today;
        judgedIds.push(sample.id);
        judgedVerdicts.push(verdict);
        if (!sample.recheckOf) {
          records.push({
            sampleId: sample.id, organizationId: sample.organizationId, batchId: sample.batchId, regionCode: sample.regionCode, stream: sample.stream,
            labOrganizationId: sample.labOrganizationId, testerName: null, reportNo: sample.sampleNo, method: own.find((r) => r.method)?.method ?? null,
            testedOn: today, results: own.map(toAnalyteResult), verdict: verdict === 'fail' ? 'fail' : 'pass',
          });
          if (verdict === 'fail' && sample.stream !== 'rapid_test') failures.push(sample);
        }
      }
      if (upd.ids.length) {
        await auditedQuery(manager,
          `UPDATE sample_results r SET verdict = v.verdict, reason = v.reason, limit_used = v.limit_used::jsonb
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS v(id, verdict, reason, limit_used) WHERE r.id = v.id RETURNING r.id`,
          [upd.ids, upd.verdicts, upd.reasons, upd.limits], { target: SampleResult, verb: 'update', subjects: upd.ids });
      }
      if (judgedIds.length) {
        await auditedQuery(manager,
          `UPDATE samples s SET status = 'judged', verdict = v.verdict, judged_on = $3, updated_at = now()
           FROM unnest($1::uuid[], $2::text[]) AS v(id, verdict) WHERE s.id = v.id RETURNING s.id`, [judgedIds, judgedVerdicts, today],
          { target: Sample, verb: 'update', subjects: judgedIds });
        await auditedQuery(manager,
          `INSERT INTO sample_custody_events (sample_id, status, by, note) SELECT id, 'judged', 'worker', 'verdict: ' || verdict FROM unnest($1::uuid[], $2::text[]) AS v(id, verdict) RETURNING id`,
          [judgedIds, judgedVerdicts], { target: SampleCustodyEvent, verb: 'insert' });
      }
      await this.testRecords.recordSamples(manager, records);
      for (const sample of failures) {
        await this.outbox.addFlow(manager, `sampling-consequences-${sample.id}`, CONSEQUENCE_STEPS.map((step) => ({
          queue: QUEUES.samplingConsequence, jobId: `sampling-${step}-${sample.id}`, payload: { sampleId: sample.id, step },
        })));
      }
      await manager.query('UPDATE sample_judge_chunks SET done_at = now() WHERE id = $1', [chunkId]);
      return { judged: judgedIds.length, failed: failures.length };
    });
    if (outcome.failed > 0) await this.outbox.poke();
    return outcome;
  }

  /** Chunks not judged yet (nor given up), oldest first: the sweeper checks their jobs are alive. */
  async unfinishedChunks(limit: number): Promise<string[]> {
    const rows = await this.dataSource.query(
      'SELECT id FROM sample_judge_chunks WHERE done_at IS NULL AND failed_at IS NULL ORDER BY created_at LIMIT $1', [limit],
    ) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * Gives up a chunk whose judge jobs were lost too often: its samples stay `tested` (no verdict
   * was reached) and their custody records say why, as for a sample a changed limit table left unjudged.
   */
  async giveUp(chunkId: string, reason: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      // An UPDATE answers [rows, count] through TypeORM's postgres driver.
      const [[chunk]] = await manager.query(
        `UPDATE sample_judge_chunks SET failed_at = now(), error = $2 WHERE id = $1 AND done_at IS NULL AND failed_at IS NULL RETURNING sample_ids AS "sampleIds"`,
        [chunkId, reason],
      ) as [{ sampleIds: string[] }[], number];
      if (!chunk) return false;
      await manager.query(
        `INSERT INTO sample_custody_events (sample_id, status, by, note) SELECT id, 'tested', 'worker', $2 FROM samples WHERE id = ANY($1::uuid[]) AND status = 'tested'`,
        [chunk.sampleIds, `not judged: ${reason}`.slice(0, 300)],
      );
      return true;
    });
  }

  private judgeSample(index: Awaited<ReturnType<LimitsService['currentIndex']>>, sample: Sample, own: SampleResult[],
    upd: { ids: string[]; verdicts: string[]; reasons: string[]; limits: (string | null)[] }): Verdict {
    if (sample.stream === 'rapid_test') {
      // Rapid screening is qualitative: a positive screen fails the screen, never a limit.
      for (const r of own) {
        upd.ids.push(r.id);
        upd.verdicts.push(r.detected ? 'fail' : 'pass');
        upd.reasons.push(r.detected ? 'rapid_positive' : 'not_detected');
        upd.limits.push(null);
      }
      return own.some((r) => r.detected) ? 'fail' : 'pass';
    }
    const samplingDate = sample.collectedAt ? chinaDate(sample.collectedAt) : todayInChina();
    const evaluation = evaluate(index, {
      food: sample.categoryPath, samplingDate,
      results: own.map((r) => ({ analyte: r.analyte, value: r.value, unit: r.unit ?? '', lod: r.lod, loq: r.loq, detected: r.detected })),
    });
    evaluation.results.forEach((j, i) => {
      upd.ids.push(own[i].id);
      upd.verdicts.push(j.verdict);
      upd.reasons.push(j.reason);
      upd.limits.push(j.limit === null && j.standard === null ? null : JSON.stringify({
        limit: j.limit, unit: j.unit, standard: j.standard, edition: j.edition, citation: j.citation, valueMgPerKg: j.value,
      }));
    });
    return combineVerdicts(evaluation.results.map((r) => r.verdict));
  }
}
