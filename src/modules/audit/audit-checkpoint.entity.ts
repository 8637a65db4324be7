import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A signed audit checkpoint (domain/audit-checkpoint.ts): at most one per chain head, so `seq` is
 * the key. Written with plain SQL and left out of the audit chain: recording a checkpoint in the
 * log would move the head it just signed.
 */
@Entity('audit_checkpoints')
export class AuditCheckpointRecord {
  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'char', length: 64 })
  hash: string;

  /** The signed instant; milliseconds, as in the signed text. */
  @Column({ type: 'timestamptz', precision: 3 })
  at: Date;

  @Column({ name: 'key_id', type: 'char', length: 16 })
  keyId: string;

  /** Ed25519 signature in base64 (88 characters). */
  @Column({ type: 'varchar', length: 100 })
  signature: string;
}
