import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { DisposalMethod } from './domain/disposal-rules';

export interface EvidenceFile {
  /** File-store key (generated, never from the request). */
  key: string;
  contentType: string;
  bytes: number;
  sha256: string;
}

/**
 * How a failed batch ended (不合格农产品处置): what was done, how much, when, who witnessed it and
 * the evidence. A batch with a standing failed sample leaves hold only with one of these (or an
 * accepted recheck that passed).
 */
@Entity('disposals')
@Index(['regionCode', 'disposedOn'])
export class Disposal {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @ForeignKey('Batch')
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  /** The batch's owner (copied so tenancy filters need no join). */
  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  /** The failed samples standing when it was recorded: what it answers. */
  @Column({ name: 'sample_ids', type: 'uuid', array: true })
  sampleIds: string[];

  @Column({ type: 'varchar', length: 10 })
  method: DisposalMethod;

  @Column({ name: 'quantity_value', type: 'numeric', precision: 15, scale: 3 })
  quantityValue: string;

  @Column({ name: 'quantity_unit', type: 'varchar', length: 4 })
  quantityUnit: string;

  @Column({ name: 'disposed_on', type: 'date' })
  disposedOn: string;

  @Column({ type: 'varchar', length: 100 })
  witness: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  note: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  evidence: EvidenceFile[];

  @ForeignKey('Organization')
  @Column({ name: 'recorded_by_organization_id', type: 'uuid', nullable: true })
  recordedByOrganizationId: string | null;

  @Column({ name: 'recorded_by_role', type: 'varchar', length: 20 })
  recordedByRole: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
