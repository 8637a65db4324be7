import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { InputKind } from './domain/input-kinds';

export type ApplicationStatus = 'recorded' | 'voided';

/** A warning recorded with an application (a dose above the label's maximum); regulators see it. */
export interface ApplicationWarning {
  rule: 'max_dose';
  message: string;
  applied: string;
  limit: string;
  category: string;
}

/**
 * One use of an input (农事记录 / 农药使用记录): what, where, on which crop or animals, when, how
 * much, against what, by whom. Immutable: a wrong record is voided with a reason and entered again.
 */
@Entity('input_applications')
@Index(['organizationId', 'createdAt', 'id'])
// The gate reads a site's applications up to a harvest date.
@Index('ix_input_applications_site_day', ['siteId', 'appliedOn'])
export class InputApplication {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ForeignKey('Site')
  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  /** The site's region, copied so jurisdiction filters and indicators need no join. */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Index()
  @ForeignKey('FarmInput')
  @Column({ name: 'input_id', type: 'uuid' })
  inputId: string;

  @Column({ name: 'input_kind', type: 'varchar', length: 20 })
  inputKind: InputKind;

  /** The crop (or livestock) as a node of the food-category tree. */
  @Column({ name: 'crop_category', type: 'varchar', length: 200 })
  cropCategory: string;

  @Column({ name: 'animal_group', type: 'varchar', length: 100, nullable: true })
  animalGroup: string | null;

  @Column({ name: 'ear_tags', type: 'text', array: true, default: () => "'{}'" })
  earTags: string[];

  @Column({ name: 'applied_at', type: 'timestamptz', precision: 3 })
  appliedAt: Date;

  /** The day of `appliedAt` in China: intervals count in calendar days. */
  @Column({ name: 'applied_on', type: 'date' })
  appliedOn: string;

  @Column({ name: 'dose_value', type: 'numeric', precision: 16, scale: 4 })
  doseValue: string;

  @Column({ name: 'dose_unit', type: 'varchar', length: 8 })
  doseUnit: string;

  @Column({ name: 'area_value', type: 'numeric', precision: 16, scale: 4 })
  areaValue: string;

  @Column({ name: 'area_unit', type: 'varchar', length: 8 })
  areaUnit: string;

  /** Target pest, disease or purpose (防治对象 / 用途). */
  @Column({ type: 'varchar', length: 200 })
  target: string;

  /** Who applied it (a name; never shown on public pages). */
  @Column({ name: 'operator_name', type: 'varchar', length: 100 })
  operatorName: string;

  /** The scanned 32-digit label code (单元识别代码), when the bottle was scanned. */
  @Column({ name: 'label_code', type: 'varchar', length: 32, nullable: true })
  labelCode: string | null;

  /** A seed sown from a bag: the 单元识别代码 its QR carries (one code per smallest sales unit). */
  @Column({ name: 'seed_unit_code', type: 'varchar', length: 20, nullable: true })
  seedUnitCode: string | null;

  /** The input's flags when it was applied (the record keeps what was true then). */
  @Column({ name: 'low_risk', type: 'boolean', default: false })
  lowRisk: boolean;

  @Column({ type: 'boolean', default: false })
  organic: boolean;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  warnings: ApplicationWarning[];

  @Column({ type: 'varchar', length: 10, default: 'recorded' })
  status: ApplicationStatus;

  @Column({ name: 'void_reason', type: 'varchar', length: 500, nullable: true })
  voidReason: string | null;

  @Column({ name: 'voided_at', type: 'timestamptz', precision: 3, nullable: true })
  voidedAt: Date | null;

  /** The voided record this one re-enters. */
  @Column({ name: 'replaces_id', type: 'uuid', nullable: true })
  replacesId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
