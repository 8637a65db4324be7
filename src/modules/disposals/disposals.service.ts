import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { decimal } from '../../../libs/decimal';
import { DomainError } from '../../../libs/errors';
import { amountIn, amountOf, dimensionOf, formatDecimal, parseQuantity, Quantity } from '../../../libs/quantity';
import { assertNotFuture } from '../../common/dates';
import { isUuid } from '../../common/ids';
import { listPage, Page } from '../../common/pagination';
import { Actor, canRead, canWriteAs, isAdmin, regulatorPrefix } from '../auth';
import { type Batch, BatchesService } from '../batches';
import { FileStore } from '../files';
import { IdempotencyService } from '../idempotency';
import { SamplesService } from '../sampling';
import { Disposal, EvidenceFile } from './disposal.entity';
import { DISPOSAL_METHODS, DisposalMethod, EVIDENCE_TYPES, evidenceProblem } from './domain/disposal-rules';
import { CreateDisposalDto, EvidenceDto } from './dto/create-disposal.dto';

export interface DisposalView {
  id: string;
  batchId: string;
  organizationId: string;
  regionCode: string;
  sampleIds: string[];
  method: DisposalMethod;
  methodName: string;
  quantity: Quantity;
  disposedOn: string;
  witness: string;
  note: string;
  evidence: { contentType: string; bytes: number; sha256: string; url: string }[];
  createdAt: string;
}

/**
 * Disposals of failed products (不合格农产品处置率 = 100 %, DOMAIN.md §11). Adds the rule to
 * batches that a batch with a standing failed sample leaves hold only once a disposal answers
 * every such sample (an accepted recheck that passed leaves none standing).
 */
@Injectable()
export class DisposalsService implements OnModuleInit {
  private readonly logger = new Logger(DisposalsService.name);

  constructor(
    @InjectRepository(Disposal) private readonly disposals: Repository<Disposal>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly batches: BatchesService,
    private readonly samples: SamplesService,
    private readonly files: FileStore,
    private readonly idempotency: IdempotencyService,
  ) {}

  onModuleInit(): void {
    this.batches.addReleaseCheck((batch) => this.assertReleasable(batch));
  }

  /** Refuses releasing a batch while a failed sample of it has no disposal. */
  async assertReleasable(batch: Pick<Batch, 'id'>): Promise<void> {
    const open = await this.unanswered(this.dataSource.manager, batch.id);
    if (open.length === 0) return;
    throw new DomainError('DISPOSAL_REQUIRED',
      `Sample ${open.map((s) => s.sampleNo).join(', ')} failed: record a disposal (POST /api/v1/disposals) or have a recheck accepted before releasing the batch`,
      { field: 'status', rule: 'disposal_required', samples: open.map((s) => s.sampleNo) });
  }

  async create(actor: Actor, dto: CreateDisposalDto, key: string | undefined): Promise<{ view: DisposalView; replayed: boolean }> {
    const batch = await this.batches.findReadable(actor, dto.batchId);
    const regulatorMay = !!regulatorPrefix(actor);
    if (!isAdmin(actor) && !canWriteAs(actor, batch.organizationId) && !regulatorMay) {
      throw new DomainError('FORBIDDEN', "Only the batch owner's org_admin or operator, a regulator or an admin records a disposal");
    }
    const quantity = this.checkQuantity(dto, batch);
    assertNotFuture(dto.disposedOn, 'disposedOn');
    const evidence = this.decodeEvidence(dto.evidence ?? []);
    // Evidence is written inside the transaction (its keys are in the row), so a transaction that
    // fails — a refusal, a lost connection, the commit itself — must take its files with it.
    const written: string[] = [];
    try {
      return await this.record(actor, dto, key, batch, quantity, evidence, written);
    } catch (error) {
      await this.files.remove(written).catch((cleanup: unknown) => this.logger.error({ msg: 'disposal evidence cleanup failed', keys: written, error: String(cleanup) }));
      throw error;
    }
  }

  private async record(actor: Actor, dto: CreateDisposalDto, key: string | undefined, batch: Batch, quantity: Quantity,
    evidence: { contentType: string; bytes: Buffer }[], written: string[]): Promise<{ view: DisposalView; replayed: boolean }> {
    const { result, replayed } = await this.idempotency.run(actor, key, 'POST /api/v1/disposals', dto, async (manager) => {
      await this.batches.lockForUpdate(manager, batch.id);
      const failures = await this.samples.standingFailures(batch.id, manager);
      if (failures.length === 0 && batch.status !== 'recalled') {
        throw new DomainError('DISPOSAL_NOT_REQUIRED', 'This batch has no failed sample standing and is not recalled', { field: 'batchId', rule: 'failed_batch' });
      }
      const id = (await manager.query('SELECT gen_random_uuid() AS id') as { id: string }[])[0].id;
      const stored = await this.storeEvidence(id, evidence, written);
      const saved = await manager.save(manager.create(Disposal, {
        id, batchId: batch.id, organizationId: batch.organizationId, regionCode: batch.regionCode, sampleIds: failures.map((f) => f.id),
        method: dto.method as DisposalMethod, quantityValue: quantity.value, quantityUnit: quantity.unit, disposedOn: dto.disposedOn,
        witness: dto.witness.trim(), note: dto.note?.trim() ?? '', evidence: stored,
        recordedByOrganizationId: actor.organizationId, recordedByRole: actor.role,
      }));
      return this.view(saved);
    });
    return { view: result, replayed };
  }

  async get(actor: Actor, id: string): Promise<DisposalView> {
    return this.view(await this.findReadable(actor, id));
  }

  async list(actor: Actor, limit = 50, cursor?: string, batchId?: string): Promise<Page<DisposalView>> {
    const qb = this.disposals.createQueryBuilder('d');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('d.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere('d.organization_id = :org', { org: actor.organizationId });
    if (batchId !== undefined) qb.andWhere('d.batch_id = :batchId', { batchId });
    return listPage(qb, 'd', limit, cursor, (d) => this.view(d));
  }

  /** Evidence file `n` (1-based) of a disposal the actor may read. */
  async evidence(actor: Actor, id: string, n: string): Promise<{ contentType: string; filename: string; body: Buffer }> {
    const row = await this.findReadable(actor, id);
    const file = /^[1-9]$/.test(n) ? row.evidence[Number(n) - 1] : undefined;
    if (!file) throw new DomainError('NOT_FOUND', 'No such evidence file');
    return { contentType: file.contentType, filename: file.key.split('/').pop()!, body: await this.files.readAll(file.key) };
  }

  /** Disposals of a region recorded in [from, to] (public notices: no access check). */
  inRegion(regionPrefix: string, from: string, to: string): Promise<Disposal[]> {
    return this.disposals.createQueryBuilder('d')
      .where('d.region_code LIKE :prefix', { prefix: `${regionPrefix}%` })
      .andWhere('d.disposed_on BETWEEN :from AND :to', { from, to })
      .orderBy('d.disposed_on', 'DESC').addOrderBy('d.id').limit(500).getMany();
  }

  /** Standing failed samples of the batch that no disposal names. */
  private async unanswered(manager: EntityManager, batchId: string): Promise<{ id: string; sampleNo: string }[]> {
    const failures = await this.samples.standingFailures(batchId, manager);
    if (failures.length === 0) return [];
    const answered = new Set((await manager.query('SELECT DISTINCT unnest(sample_ids) AS id FROM disposals WHERE batch_id = $1', [batchId]) as { id: string }[]).map((r) => r.id));
    return failures.filter((f) => !answered.has(f.id));
  }

  /** The disposed quantity: of the batch's dimension and not more than the batch. */
  private checkQuantity(dto: CreateDisposalDto, batch: Batch): Quantity {
    const quantity = parseQuantity(dto.quantity);
    if (dimensionOf(quantity.unit) !== dimensionOf(batch.quantityUnit)) {
      throw new DomainError('INVALID_QUANTITY', `quantity must be measured like the batch (${batch.quantityUnit})`, { field: 'quantity.unit', rule: 'same_dimension' });
    }
    const inBatchUnit = amountIn(amountOf(quantity), batch.quantityUnit);
    if (inBatchUnit.gt(decimal(batch.quantityValue))) {
      throw new DomainError('INVALID_QUANTITY', `quantity may not exceed the batch (${formatDecimal(batch.quantityValue)} ${batch.quantityUnit})`, { field: 'quantity.value', rule: 'at_most_batch' });
    }
    return quantity;
  }

  private decodeEvidence(files: EvidenceDto[]): { contentType: string; bytes: Buffer }[] {
    return files.map((f, i) => {
      const bytes = Buffer.from(f.data, 'base64');
      const problem = evidenceProblem(f.contentType, f.data, bytes);
      if (problem) throw new DomainError('INVALID_EVIDENCE', `evidence[${i}]: ${problem.message}`, { field: `evidence[${i}]`, rule: problem.rule });
      return { contentType: f.contentType, bytes };
    });
  }

  private async storeEvidence(id: string, files: { contentType: string; bytes: Buffer }[], written: string[]): Promise<EvidenceFile[]> {
    const stored: EvidenceFile[] = [];
    for (const [i, f] of files.entries()) {
      const key = `disposals/${id}/${i + 1}.${EVIDENCE_TYPES[f.contentType]}`;
      written.push(key);
      await this.files.write(key, f.bytes);
      stored.push({ key, contentType: f.contentType, bytes: f.bytes.length, sha256: createHash('sha256').update(f.bytes).digest('hex') });
    }
    return stored;
  }

  private async findReadable(actor: Actor, id: string): Promise<Disposal> {
    const row = isUuid(id) ? await this.disposals.findOneBy({ id }) : null;
    if (row && canRead(actor, row.organizationId, [row.regionCode])) return row;
    throw new DomainError('NOT_FOUND', 'Disposal not found');
  }

  view(d: Disposal): DisposalView {
    return {
      id: d.id, batchId: d.batchId, organizationId: d.organizationId, regionCode: d.regionCode, sampleIds: d.sampleIds,
      method: d.method, methodName: DISPOSAL_METHODS[d.method], quantity: { value: formatDecimal(d.quantityValue), unit: d.quantityUnit as Quantity['unit'] },
      disposedOn: d.disposedOn, witness: d.witness, note: d.note,
      evidence: d.evidence.map((e, i) => ({ contentType: e.contentType, bytes: e.bytes, sha256: e.sha256, url: `/api/v1/disposals/${d.id}/evidence/${i + 1}` })),
      createdAt: d.createdAt.toISOString(),
    };
  }
}
