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
