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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
