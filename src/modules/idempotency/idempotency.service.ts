import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { queryFlushingAudit } from '../audit';
import type { Actor } from '../auth';

export interface IdempotentResult<T> {
  result: T;
  /** true when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

export interface IdempotencyOptions {
  /**
   * Do the work first and claim the key with its answer in the transaction's last statement, which
   * also writes the audit entries: two round trips fewer than claiming it first (a hot write path,
   * issue 21). The price: a retry of a finished request redoes the work and rolls it back before
   * replaying the stored answer, and two requests with one key in flight at once both work until
   * the first commits. Only for short work whose effects all live in its transaction.
   */
  claimLast?: boolean;
}

interface StoredKey {
  route: string;
  requestHash: string;
  response: unknown;
}

const KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;

function hashRequest(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');
}

/** The key's row was committed by another request while this one worked: its answer is replayed. */
class KeyTaken extends Error {}

@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in a transaction. With a key, the first request's result is stored in that same
   * transaction and returned to every retry. By default the key is claimed first: a concurrent
   * retry blocks on the key's row until the first commits (or rolls back, and then it does the work
   * itself). See IdempotencyOptions.claimLast for the other order.
   */
  async run<T>(actor: Actor, key: string | undefined, route: string, body: unknown,
    work: (manager: EntityManager) => Promise<T>, options: IdempotencyOptions = {}): Promise<IdempotentResult<T>> {
    if (key !== undefined && !KEY_FORMAT.test(key)) {
      throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key must be 1–200 visible ASCII characters', {
        field: 'Idempotency-Key', rule: 'format',
      });
    }
    if (!key) return this.dataSource.transaction(async (manager) => ({ result: await work(manager), replayed: false }));
    const scope = actor.organizationId ?? actor.role;
    const requestHash = hashRequest(body);
    return options.claimLast
      ? this.claimLast(scope, key, route, requestHash, work)
      : this.claimFirst(scope, key, route, requestHash, work);
  }

  private claimFirst<T>(scope: string, key: string, route: string, requestHash: string,
    work: (manager: EntityManager) => Promise<T>): Promise<IdempotentResult<T>> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager.query(
        `INSERT INTO idempotency_keys (scope, key, route, request_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING key`,
        [scope, key, route, requestHash],
      ) as unknown[];
      if (inserted.length === 0) return { result: answer<T>(await stored(manager, scope, key), route, requestHash), replayed: true };
      const result = await work(manager);
      await manager.query('UPDATE idempotency_keys SET response = $3 WHERE scope = $1 AND key = $2', [scope, key, JSON.stringify(result)]);
      return { result, replayed: false };
    });
  }

  private async claimLast<T>(scope: string, key: string, route: string, requestHash: string,
    work: (manager: EntityManager) => Promise<T>): Promise<IdempotentResult<T>> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const result = await work(manager);
        // ON CONFLICT waits for a request in flight with the same key: its COMMIT makes this a conflict, its rollback lets this one claim.
        const claimed = await queryFlushingAudit(manager,
          `INSERT INTO idempotency_keys (scope, key, route, request_hash, response) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT DO NOTHING RETURNING key`,
          [scope, key, route, requestHash, JSON.stringify(result)]);
        if (claimed.length === 0) throw new KeyTaken();
        return { result, replayed: false };
      });
    } catch (error) {
      // This attempt rolled back. A request that finished with this key answers instead (whatever
      // this attempt ran into: the first one may have used up what the work needed).
      const earlier = await stored(this.dataSource.manager, scope, key).catch(() => undefined);
      if (earlier) return { result: answer<T>(earlier, route, requestHash), replayed: true };
      if (error instanceof KeyTaken) throw new DomainError('IDEMPOTENCY_IN_PROGRESS', 'Another request with this key has just finished; send it again');
      throw error;
    }
  }
}

async function stored(manager: EntityManager, scope: string, key: string): Promise<StoredKey | undefined> {
  const [row] = await manager.query(
    'SELECT route, request_hash AS "requestHash", response FROM idempotency_keys WHERE scope = $1 AND key = $2',
    [scope, key],
  ) as StoredKey[];
  return row;
}

/** The stored answer for a retry of the same request; the key used for another request is refused. */
function answer<T>(row: StoredKey | undefined, route: string, requestHash: string): T {
  if (!row || row.route !== route || row.requestHash !== requestHash) {
    throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request', {
      field: 'Idempotency-Key', rule: 'same_request',
    });
  }
  if (row.response === null) throw new DomainError('IDEMPOTENCY_IN_PROGRESS', 'The first request with this key is still running');
  return row.response as T;
}
