import { Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';

/**
 * One submitted console form, by the one-time key rendered into it: a second submit of the same
 * form (double click, reload) finds the row and goes where the first went instead of creating
 * again. Used for creates whose services take no Idempotency-Key (products, sites, collections).
 */
@Entity('console_submissions')
export class ConsoleSubmission {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  @ForeignKey('ConsoleUser', { onDelete: 'CASCADE' })
  userId: string;

  @PrimaryColumn({ name: 'form_key', type: 'varchar', length: 64 })
  formKey: string;

  /** Where the first submit led; null while it is still running. */
  @Column({ name: 'result_path', type: 'varchar', length: 300, nullable: true })
  resultPath: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
