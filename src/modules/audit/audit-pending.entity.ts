import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An audit entry committed with its change but not yet chained: a transaction writes its entries
 * here just before COMMIT (no lock), and the seal (audit-log.ts, sealPendingAudit) moves them into
 * `audit_log` right after the commit, numbering and hashing them under the chain's lock, many
 * transactions' entries in one go.
 */
@Entity('audit_pending')
export class AuditPendingEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /**
   * The entry's content as canonical JSON (domain/audit-chain.ts, canonicalJson of contentOf): what
   * its hash covers, so the seal hashes it in SQL (`audit_seal`) exactly as entryHash does.
   */
  @Column({ type: 'text' })
  content: string;
}
