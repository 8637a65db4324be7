import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AffectedOrganization, ReportRow } from './domain/recall-report';

export type RecallMode = 'recall' | 'mock';

/**
 * A recall (or a mock recall: the same report, nothing changed) starting from one lot. It keeps
 * the report rows it computed and the organisations it affects (for notification at merge time).
 */
@Entity('recalls')
@Index('ix_recalls_org_ids', ['organizationIds'], { type: 'gin' })
export class Recall {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @ForeignKey('Batch')
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  /** Region of the starting lot (regulators read the recalls of their region). */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @ForeignKey('Organization')
  @Column({ name: 'initiated_by_organization_id', type: 'uuid', nullable: true })
  initiatedByOrganizationId: string | null;

  @Column({ name: 'initiated_by_role', type: 'varchar', length: 20 })
  initiatedByRole: string;

  @Column({ type: 'varchar', length: 8 })
  mode: RecallMode;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ name: 'lot_count', type: 'integer' })
  lotCount: number;

  /** Ids of the affected lots, the starting one included. */
  @Column({ name: 'batch_ids', type: 'uuid', array: true })
  batchIds: string[];

  /** Lots this recall changed to `recalled` (empty for a mock). */
  @Column({ name: 'recalled_batch_ids', type: 'uuid', array: true, default: () => "'{}'" })
  recalledBatchIds: string[];

  /** Affected organisations and the initiator: who may read the recall (and whom to notify). */
  @Column({ name: 'organization_ids', type: 'uuid', array: true })
  organizationIds: string[];

  @Column({ name: 'affected_organizations', type: 'jsonb' })
  affectedOrganizations: AffectedOrganization[];

  @Column({ type: 'jsonb' })
  rows: ReportRow[];

  /** eventID of the EPCIS event that set the persistent disposition `recalled` (null for a mock). */
  @Column({ name: 'epcis_event_id', type: 'varchar', length: 300, nullable: true })
  epcisEventId: string | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
