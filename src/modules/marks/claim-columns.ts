import { Column, CreateDateColumn, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/*
 * The columns every scheme's licences, claims and refusals share, declared once. The quality marks'
 * tables (mark_licences, mark_claims, mark_claim_refusals) and the GI registry's (gi_authorisations,
 * gi_claims, gi_claim_refusals) extend these and add only the column naming their record (mark_id,
 * gi_id) and the date the claim is judged on; the claim ledger (claim-ledger.ts) reads and writes
 * both through these names.
 */

/** A record's or licence's status and revocation. */
export abstract class RevocableColumns {
  @Column({ type: 'varchar', length: 10, default: 'active' })
  status: 'active' | 'revoked';

  @Column({ name: 'revoked_on', type: 'date', nullable: true })
  revokedOn: string | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 500, nullable: true })
  revokedReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A period of use (from/to, open end allowed) and an optional yearly quota: a certificate's or a licence's terms. */
export abstract class TermColumns extends RevocableColumns {
  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  /** Last valid day; null = open-ended. */
  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;

  @Column({ name: 'quota_value', type: 'numeric', precision: 15, scale: 3, nullable: true })
  quotaValue: string | null;

  @Column({ name: 'quota_unit', type: 'varchar', length: 4, nullable: true })
  quotaUnit: string | null;
}

/** An organisation licensed (authorised) to use a record for a period, with an optional yearly quota. */
export abstract class LicenceColumns extends TermColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;
}

/** Who claimed, where, and how much: a claim's and a refusal's common facts. */
abstract class ClaimFacts {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** The site's region, copied so regulators' reports filter without a join. */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ name: 'quantity_value', type: 'numeric', precision: 15, scale: 3 })
  quantityValue: string;

  @Column({ name: 'quantity_unit', type: 'varchar', length: 4 })
  quantityUnit: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A batch's claim: never rewritten (revoking the record or the licence later leaves it as it was). */
export abstract class ClaimColumns extends ClaimFacts {
  @Column({ type: 'smallint' })
  year: number;

  /** The quantity in its base unit (kg for masses), for quota sums. */
  @Column({ name: 'base_amount', type: 'numeric', precision: 24, scale: 6 })
  baseAmount: string;

  @Column({ name: 'base_unit', type: 'varchar', length: 4 })
  baseUnit: string;
}

/** A refused claim (possible misuse), kept after the failed transaction. */
export abstract class RefusalColumns extends ClaimFacts {
  /** The refusal's error code (MARK_* or GI_*). */
  @Column({ type: 'varchar', length: 40 })
  reason: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;
}
