import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BatchesService } from '../batches';
import { LimitsService } from '../limits';
import { OrganizationsService } from '../organizations';
import { todayInChina } from '../../common/dates';
import { Sample, SampleCustodyEvent } from './sample.entity';
import { nextSampleNo } from './sampling-plans.service';

export interface ConfirmatoryRequest {
  batchId: string;
  /** Where the screening failed (a market's region): its nearest regulator issues the task. */
  regionCode: string;
  /** Catalogue analytes to test for (see catalogueAnalytes). */
  analytes: string[];
  /** The food category the lot was declared as. */
  categoryPath: string;
  /** Why, for the custody record (the market and its entry). */
  note: string;
}

export type ConfirmatoryOutcome =
  | { opened: true; sampleId: string; sampleNo: string }
  | { opened: false; reason: 'no_regulator' | 'no_lab' | 'no_batch' };

/**
 * Confirmatory sampling (监督抽查) after a rapid screening test failed (快速检测 is screening only
 * and never counts as a quantitative result, DOMAIN.md §5): a planned sample of the lot's batch in
 * the name of the regulator nearest to where it failed, assigned to the nearest lab. Runs in the
 * caller's transaction, so the task exists exactly when the failed screening is recorded.
 */
@Injectable()
export class ConfirmatorySamplesService {
  constructor(
    private readonly batches: BatchesService,
    private readonly organizations: OrganizationsService,
    private readonly limits: LimitsService,
  ) {}

  /**
   * The catalogue analytes among what a screening tested for (call before the transaction: the
   * catalogue may load). A class name (有机磷和氨基甲酸酯类农药) is not one: the panel is then the
   * regulator's and the lab's choice.
   */
  async catalogueAnalytes(names: string[]): Promise<string[]> {
    const index = await this.limits.currentIndex();
    return [...new Set(names.map((a) => index.findAnalyte(a)?.name).filter((a): a is string => !!a))];
  }

  async open(manager: EntityManager, request: ConfirmatoryRequest): Promise<ConfirmatoryOutcome> {
    const issuer = await this.organizations.nearestRegulator(request.regionCode, manager);
    if (!issuer) return { opened: false, reason: 'no_regulator' };
    const lab = await this.organizations.nearestLab(request.regionCode, manager);
    if (!lab) return { opened: false, reason: 'no_lab' };
    const batch = await this.batches.byId(request.batchId, manager);
    if (!batch) return { opened: false, reason: 'no_batch' };
    const sample = await manager.save(manager.create(Sample, {
      sampleNo: await nextSampleNo(manager, batch.regionCode, todayInChina().slice(0, 4)), planId: null, roundId: null, recheckOf: null,
      stream: 'supervisory_sampling', batchId: batch.id, organizationId: batch.organizationId, siteId: batch.siteId, regionCode: batch.regionCode,
      categoryPath: request.categoryPath, issuerOrganizationId: issuer, labOrganizationId: lab, analytes: request.analytes, status: 'planned',
    }));
    await manager.insert(SampleCustodyEvent, { sampleId: sample.id, status: 'planned', by: issuer, note: request.note.slice(0, 300) });
    return { opened: true, sampleId: sample.id, sampleNo: sample.sampleNo };
  }
}
