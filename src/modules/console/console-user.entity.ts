import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A person who uses the console. The password is stored as an argon2id hash; an invited person
 * has none until they open the one-time link (only its SHA-256 is stored) and choose one.
 */
@Entity('console_users')
export class ConsoleUser {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** Lower-case; unique across the platform (people log in with it). */
  @Index({ unique: true })
  @Column({ name: 'login_name', type: 'varchar', length: 60 })
  loginName: string;

  @Column({ name: 'display_name', type: 'varchar', length: 60 })
  displayName: string;

  /** org_admin or operator. */
  @Column({ type: 'varchar', length: 20 })
  role: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 200, nullable: true })
  passwordHash: string | null;

  @Column({ name: 'failed_logins', type: 'int', default: 0 })
  failedLogins: number;

  @Column({ name: 'locked_until', type: 'timestamptz', precision: 3, nullable: true })
  lockedUntil: Date | null;

  @Index({ unique: true, where: 'invite_hash IS NOT NULL' })
  @Column({ name: 'invite_hash', type: 'char', length: 64, nullable: true })
  inviteHash: string | null;

  @Column({ name: 'invite_expires_at', type: 'timestamptz', precision: 3, nullable: true })
  inviteExpiresAt: Date | null;

  @Column({ name: 'invited_by', type: 'uuid', nullable: true })
  invitedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
