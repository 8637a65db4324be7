import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A print run: `count` serialised item codes for one batch, serials firstSerial…lastSerial. */
@Entity('print_runs')
@Index(['batchId', 'createdAt'])
export class PrintRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ForeignKey('Batch')
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @Column({ type: 'integer' })
  count: number;

  @Column({ name: 'first_serial', type: 'integer' })
  firstSerial: number;

  @Column({ name: 'last_serial', type: 'integer' })
  lastSerial: number;

  /**
   * The product's GTIN-14 when the run was made (null: it had none). Its labels always carry this
   * one, so a reprint matches the labels already applied even after the product's GTIN changed.
   */
  @Column({ type: 'char', length: 14, nullable: true })
  gtin: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
