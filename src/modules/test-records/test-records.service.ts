import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { assertNotFuture } from '../../common/dates';
import { isUuid } from '../../common/ids';
import { auditedQuery } from '../audit';
import { Actor, canRead } from '../auth';
import { BatchesService } from '../batches';
import { announceBatchChanged } from '../../common/batch-events';
import { AnalyteResult, normalizeSubstance, parseResults, STREAM_LABELS, TESTER_OF_STREAM, TestStream, Verdict } from './domain/test-results';
import { CreateTestRecordDto } from './dto/create-test-record.dto';
import { TestRecord } from './test-record.entity';

export interface TestRecordView {
  id: string;
  batchId: string;
  stream: TestStream;
  testerKind: 'self' | 'lab';
  testerName: string | null;
  labOrganizationId: string | null;
  reportNo: string | null;
  method: string | null;
  testedOn: string;
  results: AnalyteResult[];
  verdict: Verdict;
  createdAt: string;
}

/** What the consumer page shows of a test: no lab internals (values, LODs, report numbers). */
export interface PublicTestSummary {
  testedOn: string;
  stream: string;
  streamLabel: string;
  analyteCount: number;
  verdict: Verdict;
}

/** A judged official sample, written as a test record by the sampling workflow. */
export interface SampleTestRecordInput {
  sampleId: string;
  organizationId: string;
  batchId: string;
  regionCode: string;
  stream: TestStream;
  labOrganizationId: string;
  testerName: string | null;
  reportNo: string;
  method: string | null;
  testedOn: string;
  results: AnalyteResult[];
  verdict: Verdict;
}

/** Latest tests shown on a scan page. */
const PUBLIC_TESTS_SHOWN = 5;

@Injectable()
export class TestRecordsService {
  constructor(
    @InjectRepository(TestRecord) private readonly records: Repository<TestRecord>,
    private readonly batches: BatchesService,
  ) {}

  /** The producer records its own self-tests and the lab reports it commissioned. */
  async create(actor: Actor, batchId: string, dto: CreateTestRecordDto): Promise<TestRecordView> {
    const batch = await this.batches.findWritable(actor, batchId);
    const stream = dto.stream as TestStream;
    if (stream === 'routine_monitoring' || stream === 'supervisory_sampling') {
      throw new DomainError('STREAM_NOT_SELF_DECLARED', 'Official sampling results come from the sampling workflow, not from the producer', { field: 'stream', rule: 'self_declared_stream' });
    }
    const testerKind = TESTER_OF_STREAM[stream];
    if (testerKind === 'lab' && !dto.testerName?.trim()) {
      throw new DomainError('VALIDATION_FAILED', "A laboratory test needs the laboratory's name", { field: 'testerName', rule: 'required_for_lab' });
    }
    assertNotFuture(dto.testedOn, 'testedOn');
    const { results, verdict } = parseResults(dto.results, stream);
    const saved = await this.records.save(this.records.create({
      organizationId: batch.organizationId, batchId: batch.id, regionCode: batch.regionCode, stream, testerKind,
      testerName: dto.testerName?.trim() || null, labOrganizationId: dto.labOrganizationId ?? null,
      reportNo: dto.reportNo ?? null, method: dto.method ?? null, testedOn: dto.testedOn,
      results, analytes: results.map((r) => normalizeSubstance(r.analyte)), verdict,
    }));
    announceBatchChanged(null, [batch.id]);
    return toView(saved);
  }

  async listForBatch(actor: Actor, batchId: string): Promise<{ items: TestRecordView[] }> {
    const batch = await this.batches.findReadable(actor, batchId);
    const rows = await this.records.find({ where: { batchId: batch.id }, order: { testedOn: 'DESC', createdAt: 'DESC' } });
    return { items: rows.map(toView) };
  }

  async get(actor: Actor, id: string): Promise<TestRecordView> {
    const row = isUuid(id) ? await this.records.findOneBy({ id }) : null;
    if (!row || !canRead(actor, row.organizationId, [row.regionCode])) throw new DomainError('NOT_FOUND', 'Test record not found');
    return toView(row);
  }

  /**
   * Records linked as a certificate's evidence, read in the issuing transaction. Records of another
   * organisation are reported as unknown (they are invisible to the issuer).
   */
  async evidence(manager: EntityManager, organizationId: string, ids: string[]): Promise<TestRecordView[]> {
    const valid = ids.filter(isUuid);
    const rows = valid.length ? await manager.findBy(TestRecord, { id: In(valid), organizationId }) : [];
    const missing = ids.find((id) => !rows.some((r) => r.id === id));
    if (missing !== undefined) {
      throw new DomainError('TEST_RECORD_NOT_FOUND', `Test record ${missing} not found for this organisation`, { field: 'evidence.testRecordIds', rule: 'exists', testRecordId: missing });
    }
    return rows.map(toView);
  }

  /**
   * Writes judged samples as test records in the caller's transaction (raw multi-row insert: a CSV
   * upload judges thousands at once). A sample already recorded is left as it is (idempotent).
   */
  async recordSamples(manager: EntityManager, inputs: SampleTestRecordInput[]): Promise<void> {
    const CHUNK = 500;
    for (let start = 0; start < inputs.length; start += CHUNK) {
      const slice = inputs.slice(start, start + CHUNK);
      const params: unknown[] = [];
      const tuples = slice.map((r) => {
        const values = [r.organizationId, r.batchId, r.regionCode, r.stream, TESTER_OF_STREAM[r.stream], r.testerName, r.labOrganizationId,
          r.reportNo, r.method, r.testedOn, JSON.stringify(r.results), r.results.map((x) => normalizeSubstance(x.analyte)), r.verdict, r.sampleId];
        const base = params.length;
        params.push(...values);
        return `(${values.map((_, i) => `$${base + i + 1}`).join(', ')})`;
      });
      await auditedQuery(manager,
        `INSERT INTO test_records (organization_id, batch_id, region_code, stream, tester_kind, tester_name, lab_organization_id,
           report_no, method, tested_on, results, analytes, verdict, sample_id)
         VALUES ${tuples.join(', ')} ON CONFLICT (sample_id) WHERE sample_id IS NOT NULL DO NOTHING RETURNING id`, params,
        { target: TestRecord, verb: 'insert' });
    }
    announceBatchChanged(manager, inputs.map((r) => r.batchId));
  }

  /** An accepted recheck (复检) replaces the first sample's results and verdict on its record. */
  async replaceSampleRecord(manager: EntityManager, sampleId: string, input: Omit<SampleTestRecordInput, 'sampleId' | 'organizationId' | 'batchId' | 'regionCode' | 'stream'>): Promise<void> {
    await manager.update(TestRecord, { sampleId }, {
      results: input.results, analytes: input.results.map((x) => normalizeSubstance(x.analyte)), verdict: input.verdict, testedOn: input.testedOn,
      reportNo: input.reportNo, method: input.method, labOrganizationId: input.labOrganizationId, testerName: input.testerName,
    });
  }

  /** The latest tests of a batch for the consumer page. */
  async publicSummary(batchId: string): Promise<PublicTestSummary[] | null> {
    const rows = await this.records.find({
      where: { batchId }, order: { testedOn: 'DESC', createdAt: 'DESC' }, take: PUBLIC_TESTS_SHOWN,
      select: { testedOn: true, stream: true, analytes: true, verdict: true },
    });
    if (rows.length === 0) return null;
    return rows.map((r) => ({ testedOn: r.testedOn, stream: r.stream, streamLabel: STREAM_LABELS[r.stream], analyteCount: r.analytes.length, verdict: r.verdict }));
  }
}

function toView(r: TestRecord): TestRecordView {
  return {
    id: r.id, batchId: r.batchId, stream: r.stream, testerKind: r.testerKind, testerName: r.testerName,
    labOrganizationId: r.labOrganizationId, reportNo: r.reportNo, method: r.method, testedOn: r.testedOn,
    results: r.results, verdict: r.verdict, createdAt: r.createdAt.toISOString(),
  };
}

