import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A 有机码 allocation the holder received for one organic certificate: a range or a list. */
@Entity('organic_code_allocations')
@Index(['markId'])
export class OrganicCodeAllocation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('MarkRecord')
  @Column({ name: 'mark_id', type: 'uuid' })
  markId: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'varchar', length: 10 })
  kind: 'range' | 'list';

  @Column({ type: 'integer' })
  count: number;

  @Column({ name: 'first_code', type: 'varchar', length: 24 })
  firstCode: string;

  @Column({ name: 'last_code', type: 'varchar', length: 24 })
  lastCode: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/**
 * One 有机码. The code is the key, so no code is recorded twice, by anyone; a print run takes a
 * code by setting its run and label serial once (never cleared), so each is printed on one label, ever.
 */
@Entity('organic_codes')
@Index('ix_organic_codes_free', ['markId', 'code'], { where: 'print_run_id IS NULL' })
@Index('uq_organic_codes_run_serial', ['printRunId', 'serial'], { unique: true })
export class OrganicCode {
  @PrimaryColumn({ type: 'varchar', length: 24 })
  code: string;

  @ForeignKey('MarkRecord')
  @Column({ name: 'mark_id', type: 'uuid' })
  markId: string;

  @ForeignKey('OrganicCodeAllocation')
  @Column({ name: 'allocation_id', type: 'uuid' })
  allocationId: string;

  @ForeignKey('PrintRun')
  @Column({ name: 'print_run_id', type: 'uuid', nullable: true })
  printRunId: string | null;

  @Column({ type: 'integer', nullable: true })
  serial: number | null;

  @Column({ name: 'used_at', type: 'timestamptz', precision: 3, nullable: true })
  usedAt: Date | null;
}
