import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AnalyteResult, TestStream, TesterKind, Verdict } from './domain/test-results';

/**
 * One test of one batch: a self-test or rapid test by the producer, a laboratory report it
 * commissioned, or (from the sampling workflow) an official sample's results. Certificates link
 * to passing records as the evidence of their basis; the scan page shows the latest ones.
 */
@Entity('test_records')
@Index(['batchId', 'testedOn'])
@Index('uq_test_records_sample', ['sampleId'], { unique: true, where: 'sample_id IS NOT NULL' })
export class TestRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The batch owner (tenancy). */
  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ForeignKey('Batch')
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  /** The batch's region, copied for regulators' filters. */
  @Index()
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ type: 'varchar', length: 24 })
  stream: TestStream;

  @Column({ name: 'tester_kind', type: 'varchar', length: 4 })
  testerKind: TesterKind;

  /** The laboratory's name as on its report (lab tests), or who tested (self-tests). */
  @Column({ name: 'tester_name', type: 'varchar', length: 200, nullable: true })
  testerName: string | null;

  /** The laboratory, when it is an organisation on the platform. */
  @ForeignKey('Organization')
  @Column({ name: 'lab_organization_id', type: 'uuid', nullable: true })
  labOrganizationId: string | null;

  @Column({ name: 'report_no', type: 'varchar', length: 64, nullable: true })
  reportNo: string | null;

  /** Method standard(s), e.g. "GB/T 5009.199-2003" or "NY/T 761-2008". */
  @Column({ type: 'varchar', length: 200, nullable: true })
  method: string | null;

  @Column({ name: 'tested_on', type: 'date' })
  testedOn: string;

  @Column({ type: 'jsonb' })
  results: AnalyteResult[];

  /** Analyte names (normalised), for "do the tests cover what was used" and searches. */
  @Column({ type: 'text', array: true })
  analytes: string[];

  /** AND of the results' verdicts. */
  @Column({ type: 'varchar', length: 4 })
  verdict: Verdict;

  /** The official sample this record comes from (sampling workflow); null for declared records. */
  @Column({ name: 'sample_id', type: 'uuid', nullable: true })
  sampleId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
