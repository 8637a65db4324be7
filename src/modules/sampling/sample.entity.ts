import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { TestStream } from '../test-records/domain';
import type { SampleStatus, SampleVerdict } from './domain/custody';

/**
 * A sample taken from a batch: its custody (planned → collected → received → tested → judged)
 * and verdict. Stream, region, category and verdict date stay on the row for indicators.
 */
@Entity('samples')
@Index(['labOrganizationId', 'status'])
@Index(['regionCode', 'judgedOn'])
// The dashboard's failed-sample list, newest verdict first: failures are ~1–2% of samples, so a partial
// index walked backwards answers a province's page in milliseconds (a scan of 1M samples took ~200 ms).
@Index('ix_samples_failed', ['judgedOn', 'id', 'regionCode', 'organizationId'], { where: "verdict = 'fail' AND recheck_of IS NULL" })
export class Sample {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ name: 'sample_no', type: 'varchar', length: 30 })
  sampleNo: string;

  @ForeignKey('SamplingPlan')
  @Column({ name: 'plan_id', type: 'uuid', nullable: true })
  planId: string | null;

  @ForeignKey('SamplingRound')
  @Column({ name: 'round_id', type: 'uuid', nullable: true })
  roundId: string | null;

  /** For a recheck (复检): the sample it rechecks. */
  @ForeignKey('Sample')
  @Column({ name: 'recheck_of', type: 'uuid', nullable: true })
  recheckOf: string | null;

  @Column({ type: 'varchar', length: 24 })
  stream: TestStream;

  @Index()
  @ForeignKey('Batch')
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  /** The batch's owner. */
  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ForeignKey('Site')
  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  /** GB/T 2260 code of the batch's site. */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ name: 'category_path', type: 'varchar', length: 200 })
  categoryPath: string;

  /** Who issued the task (regulator organisation). */
  @ForeignKey('Organization')
  @Column({ name: 'issuer_organization_id', type: 'uuid' })
  issuerOrganizationId: string;

  @ForeignKey('Organization')
  @Column({ name: 'lab_organization_id', type: 'uuid' })
  labOrganizationId: string;

  @Column({ type: 'text', array: true })
  analytes: string[];

  @Column({ type: 'varchar', length: 10, default: 'planned' })
  status: SampleStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  place: string | null;

  @Column({ name: 'collected_at', type: 'timestamptz', precision: 3, nullable: true })
  collectedAt: Date | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  sampler: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', precision: 3, nullable: true })
  receivedAt: Date | null;

  @Column({ name: 'tested_at', type: 'timestamptz', precision: 3, nullable: true })
  testedAt: Date | null;

  @Column({ name: 'judged_on', type: 'date', nullable: true })
  judgedOn: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  verdict: SampleVerdict | null;

  /** For a recheck: accepted by a regulator (its result then replaces the first). */
  @Column({ name: 'accepted_at', type: 'timestamptz', precision: 3, nullable: true })
  acceptedAt: Date | null;

  /** For a recheck: refused by a regulator of the sample's region (the first verdict stands), with the reason. */
  @Column({ name: 'refused_at', type: 'timestamptz', precision: 3, nullable: true })
  refusedAt: Date | null;

  @Column({ name: 'refusal_reason', type: 'varchar', length: 300, nullable: true })
  refusalReason: string | null;

  /** For a rechecked sample: the accepted recheck that replaced its verdict. */
  @Column({ name: 'replaced_by', type: 'uuid', nullable: true })
  replacedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** One analyte result of a sample, with the verdict and the limit that decided it (after judging). */
@Entity('sample_results')
@Index('uq_sample_results_analyte', ['sampleId', 'analyte'], { unique: true })
export class SampleResult {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @ForeignKey('Sample')
  @Column({ name: 'sample_id', type: 'uuid' })
  sampleId: string;

  @Column({ type: 'varchar', length: 100 })
  analyte: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  value: string | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  unit: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  lod: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  loq: string | null;

  @Column({ type: 'boolean', nullable: true })
  detected: boolean | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  method: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  verdict: SampleVerdict | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  reason: string | null;

  /** The deciding limit: `{ limit, unit, standard, edition, citation, food }`, or null. */
  @Column({ name: 'limit_used', type: 'jsonb', nullable: true })
  limitUsed: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** Chain of custody: every move of a sample, who made it and when. */
@Entity('sample_custody_events')
@Index(['sampleId', 'id'])
export class SampleCustodyEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @ForeignKey('Sample')
  @Column({ name: 'sample_id', type: 'uuid' })
  sampleId: string;

  @Column({ type: 'varchar', length: 10 })
  status: string;

  /** Organisation id of the actor, or `worker`. */
  @Column({ type: 'varchar', length: 40 })
  by: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  note: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  at: Date;
}

/** A done step of a failed sample's consequence flow, with what it did (the step's idempotency record). */
@Entity('sample_consequence_steps')
export class SampleConsequenceStep {
  @PrimaryColumn({ name: 'sample_id', type: 'uuid' })
  sampleId: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  step: string;

  @Column({ type: 'jsonb' })
  result: Record<string, unknown>;

  @CreateDateColumn({ name: 'done_at', type: 'timestamptz', precision: 3 })
  doneAt: Date;
}

/** A judging chunk's job id (derived from the chunk, so the queue dedupes it). */
export function judgeJobId(chunkId: string): string {
  return `sampling-judge-${chunkId}`;
}

/** A group of submitted samples judged by one job (one JSON submission, or a slice of a CSV upload). */
@Entity('sample_judge_chunks')
@Index('ix_sample_judge_chunks_open', ['createdAt'], { where: 'done_at IS NULL AND failed_at IS NULL' })
export class SampleJudgeChunk {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'sample_ids', type: 'uuid', array: true })
  sampleIds: string[];

  @Column({ name: 'done_at', type: 'timestamptz', precision: 3, nullable: true })
  doneAt: Date | null;

  /** Set when the sweeper gave up on the chunk's lost job; its samples stay tested, with a custody note. */
  @Column({ name: 'failed_at', type: 'timestamptz', precision: 3, nullable: true })
  failedAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A batch downstream of a failed sample's batch, flagged for review. */
@Entity('sampling_review_flags')
export class SamplingReviewFlag {
  @PrimaryColumn({ name: 'sample_id', type: 'uuid' })
  sampleId: string;

  @PrimaryColumn({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
