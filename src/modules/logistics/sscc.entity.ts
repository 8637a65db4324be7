import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';

/** One allocated SSCC: allocated once, by one organisation, never again (its serial counter only grows). */
@Entity('ssccs')
@Index('ix_ssccs_org_allocated', ['organizationId', 'allocatedAt'])
export class Sscc {
  @PrimaryColumn({ type: 'char', length: 18 })
  sscc: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @CreateDateColumn({ name: 'allocated_at', type: 'timestamptz', precision: 3 })
  allocatedAt: Date;

  /** open: lots may be packed and unpacked; shipped: on its way to `shippedTo`; received: booked by it. */
  @Column({ type: 'varchar', length: 10, default: 'open' })
  status: SsccStatus;

  @ForeignKey('Organization')
  @Column({ name: 'shipped_to', type: 'uuid', nullable: true })
  shippedTo: string | null;

  @Column({ name: 'shipped_at', type: 'timestamptz', precision: 3, nullable: true })
  shippedAt: Date | null;

  @Column({ name: 'received_at', type: 'timestamptz', precision: 3, nullable: true })
  receivedAt: Date | null;
}

export type SsccStatus = 'open' | 'shipped' | 'received';

/** A lot packed on a logistic unit (EPCIS: child of the unit's AggregationEvent ADD), until unpacked. */
@Entity('sscc_contents')
@Index('ix_sscc_contents_batch', ['batchId'])
export class SsccContent {
  @PrimaryColumn({ type: 'char', length: 18 })
  @ForeignKey('Sscc')
  sscc: string;

  @PrimaryColumn({ name: 'batch_id', type: 'uuid' })
  @ForeignKey('Batch')
  batchId: string;

  @Column({ name: 'quantity_value', type: 'numeric', precision: 15, scale: 3 })
  quantityValue: string;

  @Column({ name: 'quantity_unit', type: 'varchar', length: 4 })
  quantityUnit: string;

  @Column({ name: 'packed_at', type: 'timestamptz', precision: 3 })
  packedAt: Date;
}

/** The next serial reference per organisation, company prefix and extension digit. */
@Entity('sscc_counters')
export class SsccCounter {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  @ForeignKey('Organization')
  organizationId: string;

  @PrimaryColumn({ name: 'company_prefix', type: 'varchar', length: 12 })
  companyPrefix: string;

  @PrimaryColumn({ name: 'extension_digit', type: 'smallint' })
  extensionDigit: number;

  @Column({ name: 'next_serial', type: 'bigint' })
  nextSerial: string;
}
