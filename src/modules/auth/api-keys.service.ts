import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ADMIN_ACTOR, Actor, actorRef } from './actor';
import { ApiKey } from './api-key.entity';
import { KeyRevocations } from './key-revocations';
import type { KeyRole, Role } from './roles';

export interface KeyOwner {
  id: string;
  kind: string;
  regionCode: string;
}

export interface CreatedKey {
  id: string;
  role: KeyRole;
  label: string | null;
  token: string;
  tokenPrefix: string;
  createdAt: string;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Resolved keys are cached briefly so authentication does not cost a query per request; a
 * revocation empties the cache of every API process (KeyRevocations).
 */
const CACHE_MS = 10_000;

@Injectable()
export class ApiKeysService {
  private readonly cache = new Map<string, { actor: Actor | null; until: number }>();
  private readonly adminHash: Buffer;
  /** Bumped by every revocation: a read that a revocation overtook is not cached. */
  private generation = 0;

  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly revocations: KeyRevocations,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.adminHash = Buffer.from(sha256(config.adminToken), 'hex');
    revocations.onRevoked(() => this.forget());
  }

  async create(owner: KeyOwner, role: KeyRole, label: string | undefined, createdBy: Actor): Promise<CreatedKey> {
    if (role === 'regulator' && owner.kind !== 'regulator') {
      throw new DomainError('ROLE_NOT_ALLOWED', 'Only a regulator organisation can hold regulator keys', { field: 'role', rule: 'org_kind' });
    }
    if (role === 'lab' && owner.kind !== 'lab') {
      throw new DomainError('ROLE_NOT_ALLOWED', 'Only a lab organisation can hold lab keys', { field: 'role', rule: 'org_kind' });
    }
    const token = `tt_${randomBytes(24).toString('base64url')}`;
    const saved = await this.keys.save(
      this.keys.create({
        organizationId: owner.id,
        role,
        label: label ?? null,
        tokenPrefix: token.slice(0, 10),
        tokenHash: sha256(token),
        createdBy: actorRef(createdBy) ?? createdBy.role,
      }),
    );
    return { id: saved.id, role, label: saved.label, token, tokenPrefix: saved.tokenPrefix, createdAt: saved.createdAt.toISOString() };
  }

  /** Turns a bearer token into an Actor, or null when it is unknown or revoked. */
  async authenticate(token: string): Promise<Actor | null> {
    const hash = sha256(token);
    if (timingSafeEqual(Buffer.from(hash, 'hex'), this.adminHash)) return ADMIN_ACTOR;
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.actor;
    const generation = this.generation;
    const row = await this.keys
      .createQueryBuilder('k')
      .innerJoin('organizations', 'o', 'o.id = k.organization_id')
      .select(['k.id AS id', 'k.role AS role', 'k.organization_id AS "organizationId"', 'o.region_code AS "regionCode"'])
      .where('k.token_hash = :hash AND k.revoked_at IS NULL', { hash })
      .getRawOne<{ id: string; role: Role; organizationId: string; regionCode: string }>();
    const actor: Actor | null = row
      ? { role: row.role, organizationId: row.organizationId, regionCode: row.role === 'regulator' ? row.regionCode : null, apiKeyId: row.id }
      : null;
    if (this.revocations.live && generation === this.generation) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { actor, until: Date.now() + CACHE_MS });
    }
    return actor;
  }

  async revoke(organizationId: string, keyId: string): Promise<void> {
    if (!isUuid(keyId)) throw new DomainError('NOT_FOUND', 'API key not found');
    const key = await this.keys.findOneBy({ id: keyId, organizationId, revokedAt: IsNull() });
    if (!key) throw new DomainError('NOT_FOUND', 'API key not found');
    key.revokedAt = new Date();
    await this.keys.save(key); // save (with the row's id) so the audit log records which key
    this.forget();
    await this.revocations.announce(key.id);
  }

  private forget(): void {
    this.generation++;
    this.cache.clear();
  }

  async list(organizationId: string): Promise<ApiKey[]> {
    return this.keys.find({ where: { organizationId }, order: { createdAt: 'DESC' } });
  }
}
