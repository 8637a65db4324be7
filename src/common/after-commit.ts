import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { TransactionQueue, transactionDepth } from './transaction-queue';

const logger = new Logger('AfterCommit');
const callbacks = new TransactionQueue<() => void>();

/** Callbacks run once the change is committed: an error there cannot undo it, so it is logged, not thrown into the writer. */
function run(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    logger.error({ msg: 'after-commit callback failed', error: String(error) });
  }
}

/** Runs the queued callbacks of a transaction after COMMIT; drops those of a rolled-back transaction or savepoint. */
class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    for (const callback of callbacks.committed(event.queryRunner, transactionDepth(event.queryRunner))) run(callback);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    callbacks.rolledBack(event.queryRunner, transactionDepth(event.queryRunner));
  }
}

function install(dataSource: DataSource): void {
  // The broadcaster reads the list at each event, so one added mid-transaction still hears its commit.
  if (!dataSource.subscribers.some((s) => s instanceof AfterCommitSubscriber)) dataSource.subscribers.push(new AfterCommitSubscriber());
}

/**
 * Runs `callback` once the transaction `manager` runs in has committed, and never if it rolls back
 * (a savepoint rolled back drops what was queued inside it). Outside a transaction (the change is
 * already committed, or there is none) it runs at once. For effects other processes or caches
 * must not see before the data is visible: cache invalidation, in-process announcements.
 */
export function afterCommit(manager: EntityManager | null | undefined, callback: () => void): void {
  const runner = manager?.queryRunner;
  if (!manager || !runner?.isTransactionActive) {
    run(callback);
    return;
  }
  install(manager.dataSource);
  callbacks.add(runner, callback);
}
