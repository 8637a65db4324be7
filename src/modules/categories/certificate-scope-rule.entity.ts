import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A category subtree whose products need a 承诺达标合格证, as the regulator keeps it: the rule's
 * source, whether that source was checked (`verified`) and a note. `food_categories.certificate_required`
 * is derived from these rows.
 */
@Entity('certificate_scope_rules')
export class CertificateScopeRule {
  @PrimaryColumn({ name: 'category_path', type: 'varchar', length: 200 })
  categoryPath: string;

  @Column({ type: 'text' })
  source: string;

  @Column({ type: 'boolean' })
  verified: boolean;

  @Column({ type: 'text', default: '' })
  note: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
