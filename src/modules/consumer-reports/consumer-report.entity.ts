import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ReportCategory, ReportStatus } from './domain/report-rules';

export interface ReportPhoto {
  /** File-store key (generated, never from the request). */
  key: string;
  contentType: string;
  bytes: number;
  sha256: string;
}

/**
 * A consumer's report about a scanned code (问题反馈). No IP address is stored: `client_key` is a
 * keyed hash of the client (network + browser, as the scan counter uses) kept only for the
 * counterfeit alert's window, and the phone and photos are deleted after the retention period.
 */
@Entity('consumer_reports')
@Index(['organizationId', 'createdAt'])
@Index(['regionCode', 'status', 'createdAt'])
@Index(['code', 'createdAt'])
export class ConsumerReport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The trace code as scanned (batch or item code). */
  @Column({ type: 'varchar', length: 20 })
  code: string;

  @ForeignKey('Batch')
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  /** The batch's owner: it reads the report and replies. */
  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** The batch's region (county): its regulators triage the report. */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ type: 'varchar', length: 12 })
  category: ReportCategory;

  @Column({ type: 'varchar', length: 1000 })
  text: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  photos: ReportPhoto[];

  /** Only with the consent text agreed to; null once deleted. */
  @Column({ type: 'varchar', length: 11, nullable: true })
  phone: string | null;

  @Column({ name: 'phone_consent_at', type: 'timestamptz', precision: 3, nullable: true })
  phoneConsentAt: Date | null;

  /** When the phone and photos are deleted (the retention job). */
  @Index('ix_consumer_reports_retention', { where: 'personal_data_deleted_at IS NULL' })
  @Column({ name: 'retain_until', type: 'timestamptz', precision: 3 })
  retainUntil: Date;

  @Column({ name: 'personal_data_deleted_at', type: 'timestamptz', precision: 3, nullable: true })
  personalDataDeletedAt: Date | null;

  /** Keyed hash of the client for the counterfeit alert; cleared after the alert window. */
  @Column({ name: 'client_key', type: 'varchar', length: 24, nullable: true })
  clientKey: string | null;

  /** sha256 of the reporter's follow-up link token (the only way to see the reply). */
  @Index({ unique: true })
  @Column({ name: 'follow_up_hash', type: 'char', length: 64 })
  followUpHash: string;

  @Column({ type: 'varchar', length: 8, default: 'new' })
  status: ReportStatus;

  @Column({ name: 'triage_note', type: 'varchar', length: 500, default: '' })
  triageNote: string;

  @Column({ name: 'triaged_at', type: 'timestamptz', precision: 3, nullable: true })
  triagedAt: Date | null;

  @ForeignKey('Organization')
  @Column({ name: 'triaged_by_organization_id', type: 'uuid', nullable: true })
  triagedByOrganizationId: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  reply: string | null;

  /** The first reply (the reply-time indicator counts to it); an edited reply keeps it. */
  @Column({ name: 'first_replied_at', type: 'timestamptz', precision: 3, nullable: true })
  firstRepliedAt: Date | null;

  @Column({ name: 'replied_at', type: 'timestamptz', precision: 3, nullable: true })
  repliedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** Many distinct clients reported one code within the window: a possible counterfeit (假冒) for the regulator. */
@Entity('consumer_report_alerts')
@Index(['code', 'createdAt'])
@Index(['regionCode', 'createdAt'])
export class ConsumerReportAlert {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 20 })
  code: string;

  @ForeignKey('Batch')
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  /** Distinct clients that had reported the code within the window when it was raised. */
  @Column({ type: 'integer' })
  clients: number;

  @Column({ name: 'window_days', type: 'integer' })
  windowDays: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
