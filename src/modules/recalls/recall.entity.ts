import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AffectedOrganization, ReportRow } from './domain/recall-report';

export type RecallMode = 'recall' | 'mock';

/**
 * A recall (or a mock recall: the same report, nothing changed) starting from one lot. It keeps
 * the report rows it computed and the organisations it affects (for notification at merge time).
 */
@Entity('recalls')
@Index('ix_recalls_org_ids', ['organizationIds'], { type: 'gin' })
/** Recalls reaching a lot (the scan page's recall notice link): `batch_ids @> ARRAY[id]` uses it; `id = ANY (batch_ids)` cannot. */
@Index('ix_recalls_batch_ids', ['batchIds'], { type: 'gin' })
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

  /** 1 = 一级, 2 = 二级, 3 = 三级 (null: given no grade, or a mock). */
  @Column({ type: 'smallint', nullable: true })
  grade: number | null;

  /** When the risk became known: the deadlines count from here. */
  @Column({ name: 'discovered_at', type: 'timestamptz', precision: 3, nullable: true })
  discoveredAt: Date | null;

  @Column({ name: 'start_by', type: 'timestamptz', precision: 3, nullable: true })
  startBy: Date | null;

  /** Last working day to finish (China date). The overdue sweep reads open, unalerted recalls by it. */
  @Index('ix_recalls_overdue', { where: 'closed_at IS NULL AND overdue_alerted_at IS NULL' })
  @Column({ name: 'finish_by', type: 'date', nullable: true })
  finishBy: string | null;

  /** Whether the holiday calendar behind finish_by was complete and verified. */
  @Column({ name: 'calendar_verified', type: 'boolean', nullable: true })
  calendarVerified: boolean | null;

  @Column({ name: 'closed_at', type: 'timestamptz', precision: 3, nullable: true })
  closedAt: Date | null;

  /** When the overdue alert went out (once per recall). */
  @Column({ name: 'overdue_alerted_at', type: 'timestamptz', precision: 3, nullable: true })
  overdueAlertedAt: Date | null;
}

/**
 * An affected organisation's account of the recalled product (close-out): what it got back, what it
 * disposed of and what had already been sold through, in one unit. The last confirmation counts.
 */
@Entity('recall_confirmations')
export class RecallConfirmation {
  @PrimaryColumn({ name: 'recall_id', type: 'uuid' })
  @ForeignKey('Recall')
  recallId: string;

  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  @ForeignKey('Organization')
  organizationId: string;

  @Column({ type: 'varchar', length: 4 })
  unit: string;

  @Column({ type: 'numeric', precision: 15, scale: 3 })
  recovered: string;

  @Column({ type: 'numeric', precision: 15, scale: 3 })
  disposed: string;

  @Column({ name: 'sold_through', type: 'numeric', precision: 15, scale: 3 })
  soldThrough: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  note: string;

  @UpdateDateColumn({ name: 'confirmed_at', type: 'timestamptz', precision: 3 })
  confirmedAt: Date;
}
