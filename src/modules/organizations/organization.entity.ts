import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ORGANIZATION_KINDS = [
  'cooperative', 'enterprise', 'family_farm', 'individual', 'purchaser', 'market', 'lab', 'regulator',
] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

/** valid: passed GB 32100 checks · override: failed, accepted by an admin with a reason · none: no USCC (farmers). */
export type UsccStatus = 'valid' | 'override' | 'none';

@Entity('organizations')
@Index('uq_organizations_uscc', ['uscc'], { unique: true, where: 'uscc IS NOT NULL' })
@Index('uq_organizations_gln', ['gln'], { unique: true, where: 'gln IS NOT NULL' })
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  kind: OrganizationKind;

  @Column({ type: 'varchar', length: 18, nullable: true })
  uscc: string | null;

  @Column({ name: 'uscc_status', type: 'varchar', length: 10 })
  usccStatus: UsccStatus;

  /** Why a USCC that fails the check was accepted, and who accepted it. */
  @Column({ name: 'uscc_override', type: 'jsonb', nullable: true })
  usccOverride: { reason: string; by: string; at: string } | null;

  /** Individual farmers: HMAC of the ID number (for duplicate checks) and a masked form; never the number. */
  @Column({ name: 'id_number_hmac', type: 'char', length: 64, nullable: true })
  idNumberHmac: string | null;

  @Column({ name: 'id_number_masked', type: 'varchar', length: 18, nullable: true })
  idNumberMasked: string | null;

  @Index()
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  address: string | null;

  /** GS1 company prefix (6–12 digits), optional: an organisation with one allocates SSCCs. */
  @Column({ name: 'gs1_company_prefix', type: 'varchar', length: 12, nullable: true })
  gs1CompanyPrefix: string | null;

  /** GS1 party GLN (AI 417), optional: EPCIS names the organisation by it when present. */
  @Column({ type: 'varchar', length: 13, nullable: true })
  gln: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  contact: { name?: string; phone?: string; email?: string };

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
