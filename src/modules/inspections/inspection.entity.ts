import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { ChecklistItem, FindingSeverity, FrequencyGrade, ItemResult } from './domain';

/** A version of a checklist (巡查检查表). Published versions are immutable (a trigger refuses changes). */
@Entity('inspection_templates')
@Unique('uq_inspection_templates_code_version', ['code', 'version'])
export class InspectionTemplate {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'jsonb' })
  items: ChecklistItem[];

  /** Where the items come from (a regulation, a county's sheet) and whether someone checked them against it. */
  @Column({ type: 'varchar', length: 300 })
  source: string;

  @Column({ type: 'boolean', default: false })
  verified: boolean;

  @Column({ type: 'varchar', length: 10 })
  status: 'draft' | 'published';

  @ForeignKey('Organization')
  @Column({ name: 'created_by_organization_id', type: 'uuid', nullable: true })
  createdByOrganizationId: string | null;

  @Column({ name: 'published_at', type: 'timestamptz', precision: 3, nullable: true })
  publishedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

export interface PhotoFile {
  /** File-store key (generated, never from the request). */
  key: string;
  contentType: string;
  bytes: number;
  sha256: string;
  /** The checklist item of the finding the photo shows (absent: the inspection as a whole). */
  itemKey?: string;
}

/** An inspection of an organisation (and one of its sites) by named inspectors of a regulator. */
@Entity('inspections')
@Index(['regionCode', 'inspectedOn'])
@Index(['organizationId', 'inspectedOn'])
export class Inspection {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ForeignKey('Site')
  @Column({ name: 'site_id', type: 'uuid', nullable: true })
  siteId: string | null;

  /** The inspected organisation's region (copied so jurisdiction filters need no join). */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @ForeignKey('InspectionTemplate')
  @Column({ name: 'template_id', type: 'uuid' })
  templateId: string;

  @Column({ name: 'inspected_on', type: 'date' })
  inspectedOn: string;

  /** The inspectors' names (执法人员, at least two by practice; one is accepted). */
  @Column({ type: 'varchar', length: 40, array: true })
  inspectors: string[];

  @ForeignKey('Organization')
  @Column({ name: 'inspector_organization_id', type: 'uuid' })
  inspectorOrganizationId: string;

  @Column({ name: 'item_results', type: 'jsonb' })
  itemResults: { itemKey: string; result: ItemResult; note: string }[];

  @Column({ type: 'varchar', length: 1000, default: '' })
  note: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  photos: PhotoFile[];

  /** The inspection this one re-inspects (复查), if any. */
  @ForeignKey('Inspection')
  @Column({ name: 'reinspection_of', type: 'uuid', nullable: true })
  reinspectionOf: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** Something to correct, with its deadline (整改期限); a re-inspection closes it. */
@Entity('inspection_findings')
@Index(['organizationId', 'status'])
@Index(['status', 'deadline'])
export class InspectionFinding {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @ForeignKey('Inspection')
  @Column({ name: 'inspection_id', type: 'uuid' })
  inspectionId: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  /** The failed checklist item, or null for a finding outside the sheet. */
  @Column({ name: 'item_key', type: 'varchar', length: 40, nullable: true })
  itemKey: string | null;

  @Column({ type: 'varchar', length: 500 })
  description: string;

  @Column({ type: 'varchar', length: 10 })
  severity: FindingSeverity;

  @Column({ type: 'date' })
  deadline: string;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status: 'open' | 'closed';

  @ForeignKey('Inspection')
  @Column({ name: 'closed_by_inspection_id', type: 'uuid', nullable: true })
  closedByInspectionId: string | null;

  @Column({ name: 'closed_on', type: 'date', nullable: true })
  closedOn: string | null;

  @Column({ name: 'overdue_alerted_at', type: 'timestamptz', precision: 3, nullable: true })
  overdueAlertedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/**
 * The month of an organisation's first inspection in a year: what inspection_coverage counts (a
 * trigger turns each mark into indicator deltas). Written with the inspection, in its transaction.
 */
@Entity('inspection_coverage_marks')
export class InspectionCoverageMark {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  /** First day of the month of the year's first inspection. */
  @Column({ type: 'date' })
  month: string;
}

/**
 * How often an organisation of a risk grade is inspected (巡查频次), in months since its last
 * inspection: data with its source and verified flag; `ungraded` for organisations without a
 * published grade.
 */
@Entity('inspection_frequency_rules')
export class InspectionFrequencyRule {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  grade: FrequencyGrade;

  @Column({ name: 'interval_months', type: 'integer' })
  intervalMonths: number;

  @Column({ type: 'varchar', length: 300 })
  source: string;

  @Column({ type: 'boolean', default: false })
  verified: boolean;
}
