import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { KeyObject } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { ed25519KeyId, ed25519PublicKeyOf, ed25519RawPublicKey } from '../../../libs/signing';
import type { Page, PageQueryDto } from '../../common/pagination';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CheckpointVerification, listCheckpoints, signAuditHead, verifyAuditCheckpoint } from './audit-checkpoints';
import type { AuditCheckpoint } from './domain/audit-checkpoint';
import { cursorCodec, keysetPage } from '../../common/pagination';

/** Checkpoints newest first: continue below this seq. */
const CHECKPOINTS_CURSOR = cursorCodec('audit-checkpoints', 'seq');

export interface AuditPublicKeyView {
  algorithm: 'Ed25519';
  keyId: string;
  /** SPKI PEM. */
  pem: string;
  /** The raw 32 bytes, base64. */
  raw: string;
}

export interface AuditCheckpointPage extends Page<AuditCheckpoint> {
  /** The key that signs checkpoints now (older ones may name an earlier key by keyId). */
  publicKey: AuditPublicKeyView;
}

/** Signed checkpoints of the audit chain's head: made each hour (job) and on demand. */
@Injectable()
export class AuditCheckpointsService {
  private readonly logger = new Logger('AuditCheckpoints');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  publicKey(): AuditPublicKeyView {
    const key = ed25519PublicKeyOf(this.config.auditSigningKey);
    return {
      algorithm: 'Ed25519',
      keyId: ed25519KeyId(key),
      pem: key.export({ format: 'pem', type: 'spki' }).toString(),
      raw: ed25519RawPublicKey(key).toString('base64'),
    };
  }

  async list(query: PageQueryDto): Promise<AuditCheckpointPage> {
    const limit = query.limit ?? 50;
    const rows = await listCheckpoints(this.dataSource.manager, limit, CHECKPOINTS_CURSOR.decode(query.cursor)?.sort);
    return { publicKey: this.publicKey(), ...keysetPage(CHECKPOINTS_CURSOR, rows, limit, (c) => ({ sort: c.seq }), (c) => c) };
  }

  /**
   * Signs the current head; when the head has not moved since the last checkpoint, returns that
   * one (`created: false`). Refuses to sign a chain it finds broken.
   */
  async create(): Promise<{ checkpoint: AuditCheckpoint; created: boolean }> {
    const outcome = await signAuditHead(this.dataSource.manager, this.config.auditSigningKey);
    switch (outcome.kind) {
      case 'created':
      case 'unchanged':
        return { checkpoint: outcome.checkpoint, created: outcome.kind === 'created' };
      case 'empty':
        throw new DomainError('AUDIT_LOG_EMPTY', 'The audit log has no entries yet: there is no head to sign');
      case 'broken':
        this.logger.error({ msg: 'audit chain broken: checkpoint not signed', firstBreak: outcome.firstBreak });
        throw new DomainError('AUDIT_CHAIN_BROKEN', `Not signing a checkpoint: ${outcome.firstBreak.message}`, { ...outcome.firstBreak });
    }
  }

  /** See verifyAuditCheckpoint; checks against the configured key unless another is given. */
  verify(checkpoint: AuditCheckpoint, publicKey: KeyObject = this.config.auditSigningKey): Promise<CheckpointVerification> {
    return verifyAuditCheckpoint(this.dataSource.manager, checkpoint, ed25519PublicKeyOf(publicKey));
  }
}
