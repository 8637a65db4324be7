import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CropRule } from './domain/crop-rules';
import type { InputKind } from './domain/input-kinds';

/** An active ingredient, named as the limits catalogue names its analyte (溴氰菊酯), with its content. */
export interface ActiveIngredient {
  analyte: string;
  /** As the label prints it, e.g. "2.5%". */
  content: string | null;
}

/**
 * An agricultural input of the catalogue (农业投入品): pesticide, fertiliser, veterinary drug, seed
 * or feed. Every row is data with its `source` and a `verified` flag (DOMAIN.md §8).
 */
@Entity('farm_inputs')
@Index('uq_farm_inputs_registration', ['kind', 'registrationNumber'], { unique: true, where: 'registration_number IS NOT NULL' })
@Index(['createdAt', 'id'])
export class FarmInput {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 20 })
  kind: InputKind;

  /** Common name as people say it (溴氰菊酯 2.5% 乳油). */
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'registration_number', type: 'varchar', length: 40, nullable: true })
  registrationNumber: string | null;

  /** An old or temporary registration form (LS…, PDN…, PD85…): accepted, flagged. */
  @Column({ name: 'registration_legacy', type: 'boolean', default: false })
  registrationLegacy: boolean;

  /** 登记证持有人. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  holder: string | null;

  @Column({ name: 'active_ingredients', type: 'jsonb', default: () => "'[]'" })
  activeIngredients: ActiveIngredient[];

  /** Per crop category: 安全间隔期 / 休药期 (days) and maximum dose. */
  @Column({ name: 'crop_rules', type: 'jsonb', default: () => "'[]'" })
  cropRules: CropRule[];

  @Column({ type: 'boolean', default: false })
  banned: boolean;

  @Column({ type: 'boolean', default: false })
  restricted: boolean;

  @Column({ name: 'low_risk', type: 'boolean', default: false })
  lowRisk: boolean;

  @Column({ name: 'slow_release', type: 'boolean', default: false })
  slowRelease: boolean;

  @Column({ type: 'boolean', default: false })
  organic: boolean;

  @Column({ type: 'boolean', default: false })
  verified: boolean;

  @Column({ type: 'varchar', length: 300 })
  source: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  note: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
