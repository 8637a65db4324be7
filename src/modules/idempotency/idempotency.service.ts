import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import type { Actor } from '../auth';

export interface IdempotentResult<T> {
  result: T;
  /** true when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

const KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;

function hashRequest(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');
}

@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in a transaction. With a key, the first request's result is stored in that same
   * transaction and returned to every retry; a concurrent retry blocks on the key's row until the
   * first commits (or rolls back, and then it does the work itself).
   */
  async run<T>(actor: Actor, key: string | undefined, route: string, body: unknown,
    work: (manager: EntityManager) => Promise<T>): Promise<IdempotentResult<T>> {
    if (key !== undefined && !KEY_FORMAT.test(key)) {
      throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key must be 1–200 visible ASCII characters', {
        field: 'Idempotency-Key', rule: 'format',
      });
    }
    return this.dataSource.transaction(async (manager) => {
      if (!key) return { result: await work(manager), replayed: false };
      const scope = actor.organizationId ?? actor.role;
      const requestHash = hashRequest(body);
      const inserted = await manager.query(
        `INSERT INTO idempotency_keys (scope, key, route, request_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING key`,
        [scope, key, route, requestHash],
      ) as unknown[];
      if (inserted.length === 0) return { result: await this.replay<T>(manager, scope, key, route, requestHash), replayed: true };
      const result = await work(manager);
      await manager.query('UPDATE idempotency_keys SET response = $3 WHERE scope = $1 AND key = $2', [scope, key, JSON.stringify(result)]);
      return { result, replayed: false };
    });
  }

  private async replay<T>(manager: EntityManager, scope: string, key: string, route: string, requestHash: string): Promise<T> {
    const [row] = await manager.query(
      'SELECT route, request_hash AS "requestHash", response FROM idempotency_keys WHERE scope = $1 AND key = $2',
      [scope, key],
    ) as { route: string; requestHash: string; response: T | null }[];
    if (!row || row.route !== route || row.requestHash !== requestHash) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request', {
        field: 'Idempotency-Key', rule: 'same_request',
      });
    }
    if (row.response === null) throw new DomainError('IDEMPOTENCY_IN_PROGRESS', 'The first request with this key is still running');
    return row.response;
  }
}
