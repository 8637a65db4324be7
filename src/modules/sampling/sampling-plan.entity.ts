import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { TestStream } from '../test-records/domain';
import type { Cadence } from './domain/periods';

/** Tasks wanted per county (GB/T 2260 code or prefix) and food category each period. */
export interface PlanQuota {
  county: string;
  category: string;
  count: number;
}

/** A sampling plan issued by a regulator: what to sample, where, when, by which labs. */
@Entity('sampling_plans')
export class SamplingPlan {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 24 })
  stream: TestStream;

  /** The issuing regulator (organisation). */
  @ForeignKey('Organization')
  @Column({ name: 'issuer_organization_id', type: 'uuid' })
  issuerOrganizationId: string;

  /** GB/T 2260 code whose region the plan covers (within the issuer's jurisdiction). */
  @Index()
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ type: 'varchar', length: 10 })
  cadence: Cadence;

  @Column({ name: 'period_from', type: 'date' })
  periodFrom: string;

  @Column({ name: 'period_to', type: 'date' })
  periodTo: string;

  @Column({ type: 'text', array: true })
  categories: string[];

  /** Analyte panel (catalogue names). */
  @Column({ type: 'text', array: true })
  analytes: string[];

  @Column({ type: 'jsonb' })
  quotas: PlanQuota[];

  @Column({ name: 'lab_organization_ids', type: 'uuid', array: true })
  labOrganizationIds: string[];

  /** Batches of organisations with failed samples in this many days weigh more in the draw. */
  @Column({ name: 'failure_lookback_days', type: 'integer', default: 365 })
  failureLookbackDays: number;

  @Column({ name: 'failure_weight', type: 'integer', default: 2 })
  failureWeight: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** One generated period of a plan, with the seed of its draw (re-running the draw gives the same tasks). */
@Entity('sampling_rounds')
@Unique('uq_sampling_rounds_plan_period', ['planId', 'periodKey'])
export class SamplingRound {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('SamplingPlan')
  @Column({ name: 'plan_id', type: 'uuid' })
  planId: string;

  @Column({ name: 'period_key', type: 'varchar', length: 10 })
  periodKey: string;

  @Column({ name: 'period_from', type: 'date' })
  periodFrom: string;

  @Column({ name: 'period_to', type: 'date' })
  periodTo: string;

  @Column({ type: 'varchar', length: 100 })
  seed: string;

  @Column({ name: 'task_count', type: 'integer' })
  taskCount: number;

  /** Per quota: candidates found and tasks drawn (a quota larger than the candidates is reported, not padded). */
  @Column({ type: 'jsonb' })
  draws: { county: string; category: string; wanted: number; candidates: number; drawn: number }[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** Sample-number counters per region and year (UPDATE … RETURNING hands out consecutive numbers). */
@Entity('sampling_counters')
export class SamplingCounter {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  key: string;

  @Column({ type: 'integer', default: 0 })
  value: number;
}
