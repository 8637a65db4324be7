import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The analyte catalogue (pesticides, contaminants, veterinary drugs) named by the limit tables.
 * The flags are derived from the kinds of the analyte's rows on every import.
 */
@Entity('limit_analytes')
export class LimitAnalyte {
  /** Chinese name as the standards print it (溴氰菊酯). */
  @PrimaryColumn({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'name_en', type: 'varchar', length: 200, default: '' })
  nameEn: string;

  /** Banned pesticide (a row of kind `banned`, or marked so in the note): any detection fails. */
  @Column({ type: 'boolean', default: false })
  banned: boolean;

  /** 不得检出 (a row of kind `not_detectable`): any detection fails. */
  @Column({ name: 'must_not_detect', type: 'boolean', default: false })
  mustNotDetect: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
