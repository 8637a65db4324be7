import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';

/**
 * A console session, server-side. The cookie carries a random id; only its SHA-256 is stored, so a
 * leaked table cannot be replayed. Logging out everywhere deletes every row of the user.
 */
@Entity('console_sessions')
export class ConsoleSession {
  @PrimaryColumn({ name: 'id_hash', type: 'char', length: 64 })
  idHash: string;

  @Index()
  @ForeignKey('ConsoleUser', { onDelete: 'CASCADE' })
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** Synchronizer token rendered into every form of this session. */
  @Column({ name: 'csrf_token', type: 'varchar', length: 64 })
  csrfToken: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /** Idle expiry, pushed forward while the session is used (never past absolute_expires_at). */
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'absolute_expires_at', type: 'timestamptz', precision: 3 })
  absoluteExpiresAt: Date;
}
