import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { auditedQuery } from '../audit';
import { ADMIN_ACTOR } from '../auth';
import { BatchesService } from '../batches';
import { CertificatesService } from '../certificates';
import { NotificationsService } from '../notifications';
import { ConsequenceStep, CONSEQUENCE_STEPS } from './domain/custody';
import { DOWNSTREAM_LOTS, type DownstreamLots } from './downstream-lots';
import { Sample, SampleConsequenceStep, SamplingReviewFlag } from './sample.entity';

/**
 * The steps of a failed sample's consequence flow. Each runs at most once in effect: its result
 * row (sample, step) is written in the transaction of its change, and a re-run finds it.
 */
@Injectable()
export class SampleConsequencesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly batches: BatchesService,
    private readonly certificates: CertificatesService,
    private readonly notifications: NotificationsService,
    @Optional() @Inject(DOWNSTREAM_LOTS) private readonly downstream?: DownstreamLots,
  ) {}

  /** Run by the consequence job, which acts as itself (the job scope), not as the request that judged the sample. */
  async run(sampleId: string, step: string): Promise<void> {
    if (!(CONSEQUENCE_STEPS as readonly string[]).includes(step)) throw new Error(`unknown consequence step ${step}`);
    const sample = await this.dataSource.getRepository(Sample).findOneBy({ id: sampleId });
    if (!sample) throw new Error(`sample ${sampleId} not found`);
    if (await this.done(this.dataSource.manager, sampleId, step)) return;
    const reason = `抽检不合格 sample ${sample.sampleNo} failed (${sample.stream})`;
    switch (step as ConsequenceStep) {
      case 'hold_batch': {
        // Batch status changes go through the batches feature (its own transaction, audit and notification);
        // a re-run after a crash finds the batch already on hold and only records the step.
        const batch = await this.batches.get(ADMIN_ACTOR, sample.batchId);
        let result: Record<string, unknown> = { from: batch.status, to: batch.status, changed: false };
        if (batch.status === 'active') {
          await this.batches.changeStatus(ADMIN_ACTOR, sample.batchId, { status: 'on_hold', reason });
          result = { from: 'active', to: 'on_hold', changed: true };
        }
        await this.record(this.dataSource.manager, sampleId, step, result);
        return;
      }
      case 'void_certificates':
        await this.dataSource.transaction(async (manager) => {
          if (!(await this.claim(manager, sampleId, step))) return;
          const voided = await this.certificates.voidAllForBatch(manager, sample.batchId, reason, 'sampling');
          await this.update(manager, sampleId, step, { voided });
        });
        return;
      case 'flag_downstream':
        await this.dataSource.transaction(async (manager) => {
          if (!(await this.claim(manager, sampleId, step))) return;
          if (!this.downstream) {
            await this.update(manager, sampleId, step, { supplyChainData: false, flagged: [], note: 'no supply-chain data' });
            return;
          }
          const ids = [...new Set(await this.downstream.downstreamOf(manager, sample.batchId))];
          if (ids.length) {
            await auditedQuery(manager, `INSERT INTO sampling_review_flags (sample_id, batch_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING
              RETURNING sample_id, batch_id`, [sampleId, ids], { target: SamplingReviewFlag, verb: 'insert' });
          }
          await this.update(manager, sampleId, step, { supplyChainData: true, flagged: ids });
        });
        return;
      case 'notify': {
        await this.dataSource.transaction(async (manager) => {
          if (!(await this.claim(manager, sampleId, step))) return;
          const sent = await this.notifications.notify(manager, {
            organizationId: sample.organizationId, regionCode: sample.regionCode, kind: 'sample.failed',
            subject: { type: 'samples', id: sample.id },
            payload: { sampleId: sample.id, sampleNo: sample.sampleNo, batchId: sample.batchId, stream: sample.stream, verdict: sample.verdict, judgedOn: sample.judgedOn },
          });
          await this.update(manager, sampleId, step, { notifications: sent.notificationIds.length, deliveries: sent.deliveries });
        });
        this.notifications.deliverSoon();
        return;
      }
    }
  }

  private async done(manager: EntityManager, sampleId: string, step: string): Promise<boolean> {
    return (await manager.countBy(SampleConsequenceStep, { sampleId, step })) > 0;
  }

  /** Takes the step in this transaction (a concurrent or later run finds it taken). */
  private async claim(manager: EntityManager, sampleId: string, step: string): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO sample_consequence_steps (sample_id, step, result) VALUES ($1, $2, '{}') ON CONFLICT DO NOTHING RETURNING step`, [sampleId, step]) as unknown[];
    return rows.length > 0;
  }

  private async update(manager: EntityManager, sampleId: string, step: string, result: Record<string, unknown>): Promise<void> {
    await manager.query('UPDATE sample_consequence_steps SET result = $3 WHERE sample_id = $1 AND step = $2', [sampleId, step, JSON.stringify(result)]);
  }

  private async record(manager: EntityManager, sampleId: string, step: string, result: Record<string, unknown>): Promise<void> {
    await manager.query(`INSERT INTO sample_consequence_steps (sample_id, step, result) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [sampleId, step, JSON.stringify(result)]);
  }
}
