import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One entry of the append-only, hash-chained audit log. `seq` is assigned under a lock as the
 * tail's seq + 1 (contiguous, so a removed entry leaves a gap); `hash` = sha256(prevHash +
 * canonical content), see domain/audit-chain.ts.
 *
 * A partitioned table by month of `at` (migration PartitionedAuditLog; months made ahead by the
 * scan-partitions job): its database key is (seq, at), seq unique by construction. TypeORM takes
 * `seq` as the key, so the table is left out of schema sync (`synchronize: false`): the migration
 * is its definition, test/partitions.int-spec.ts checks it.
 */
@Entity('audit_log', { synchronize: false })
@Index(['subjectType', 'subjectId'])
@Index(['organizationId', 'seq'])
@Index(['regionCode', 'seq'])
export class AuditEntry {
  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Index()
  @Column({ type: 'timestamptz', precision: 3 })
  at: Date;

  /** Role of the caller (admin, org_admin, …) or system / worker / cli / anonymous (a login attempt). */
  @Column({ name: 'actor_kind', type: 'varchar', length: 20 })
  actorKind: string;

  /** API key id of the caller, or `user:<id>` for a person signed in to the console. */
  @Column({ name: 'actor_id', type: 'varchar', length: 60, nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_org_id', type: 'uuid', nullable: true })
  actorOrgId: string | null;

  /** `<table>.insert|update|remove` for row changes, `<feature>.<verb>` for domain actions. */
  @Column({ type: 'varchar', length: 60 })
  action: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 60 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'varchar', length: 100 })
  subjectId: string;

  /** Owner of the subject (scopes org_admin reads). */
  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  /** Region of the subject or its owner (scopes regulator reads). */
  @Column({ name: 'region_code', type: 'char', length: 6, nullable: true })
  regionCode: string | null;

  @Column({ name: 'before_digest', type: 'char', length: 64, nullable: true })
  beforeDigest: string | null;

  @Column({ name: 'after_digest', type: 'char', length: 64, nullable: true })
  afterDigest: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  hash: string;
}
