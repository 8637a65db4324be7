import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { Evidence, Grade } from './domain';

/** A grading rule per product group: weights, thresholds and draw weights, with its source (data, not code). */
@Entity('risk_grade_rules')
@Unique('uq_risk_grade_rules_group', ['productGroup'])
export class RiskGradeRule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** A node of the category tree; '' = every product without a rule of its own. */
  @Column({ name: 'product_group', type: 'varchar', length: 300 })
  productGroup: string;

  @Column({ name: 'weight_failed_samples', type: 'numeric', precision: 8, scale: 2 })
  weightFailedSamples: string;

  @Column({ name: 'weight_certificate_gaps', type: 'numeric', precision: 8, scale: 2 })
  weightCertificateGaps: string;

  @Column({ name: 'weight_phi_violations', type: 'numeric', precision: 8, scale: 2 })
  weightPhiViolations: string;

  @Column({ name: 'weight_open_findings', type: 'numeric', precision: 8, scale: 2 })
  weightOpenFindings: string;

  @Column({ name: 'weight_overdue_findings', type: 'numeric', precision: 8, scale: 2 })
  weightOverdueFindings: string;

  @Column({ name: 'weight_refusals', type: 'numeric', precision: 8, scale: 2 })
  weightRefusals: string;

  @Column({ name: 'high_at', type: 'numeric', precision: 8, scale: 2 })
  highAt: string;

  @Column({ name: 'medium_at', type: 'numeric', precision: 8, scale: 2 })
  mediumAt: string;

  @Column({ name: 'draw_weight_high', type: 'numeric', precision: 6, scale: 2 })
  drawWeightHigh: string;

  @Column({ name: 'draw_weight_medium', type: 'numeric', precision: 6, scale: 2 })
  drawWeightMedium: string;

  @Column({ name: 'draw_weight_low', type: 'numeric', precision: 6, scale: 2 })
  drawWeightLow: string;

  @Column({ type: 'varchar', length: 300 })
  source: string;

  @Column({ type: 'boolean', default: false })
  verified: boolean;
}

/** An organisation's grade for a period: computed from evidence, reviewed (override with reason), published. */
@Entity('risk_grades')
@Unique('uq_risk_grades_org_period', ['organizationId', 'periodKey'])
@Index(['periodKey', 'regionCode'])
@Index(['organizationId', 'status', 'periodFrom'])
export class RiskGrade {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  /** `2026` or `2026-Q3`. */
  @Column({ name: 'period_key', type: 'varchar', length: 7 })
  periodKey: string;

  @Column({ name: 'period_from', type: 'date' })
  periodFrom: string;

  @Column({ name: 'period_to', type: 'date' })
  periodTo: string;

  /** The organisation's main product category when graded (which rule applied). */
  @Column({ type: 'varchar', length: 300, default: '' })
  category: string;

  @ForeignKey('RiskGradeRule')
  @Column({ name: 'rule_id', type: 'uuid' })
  ruleId: string;

  @Column({ type: 'jsonb' })
  evidence: Evidence;

  @Column({ type: 'numeric', precision: 10, scale: 2 })
  score: string;

  @Column({ name: 'computed_grade', type: 'varchar', length: 6 })
  computedGrade: Grade;

  /** The grade in force: the computed one, or the reviewer's override. */
  @Column({ type: 'varchar', length: 6 })
  grade: Grade;

  @Column({ name: 'override_reason', type: 'varchar', length: 500, nullable: true })
  overrideReason: string | null;

  @Column({ name: 'reviewed_by', type: 'varchar', length: 80, nullable: true })
  reviewedBy: string | null;

  /** The sampling draw weight of `grade` under the rule (kept in step with grade). */
  @Column({ name: 'draw_weight', type: 'numeric', precision: 6, scale: 2 })
  drawWeight: string;

  @Column({ type: 'varchar', length: 10, default: 'draft' })
  status: 'draft' | 'published';

  @Column({ name: 'published_at', type: 'timestamptz', precision: 3, nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'computed_at', type: 'timestamptz', precision: 3 })
  computedAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
