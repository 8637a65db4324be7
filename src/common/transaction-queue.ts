import type { QueryRunner } from 'typeorm';

/** Nesting level of the runner's transaction (1 = top level, 0 = none); TypeORM keeps it on every query runner. */
export function transactionDepth(runner: QueryRunner): number {
  return (runner as unknown as { transactionDepth?: number }).transactionDepth ?? (runner.isTransactionActive ? 1 : 0);
}

interface Queued<T> {
  depth: number;
  item: T;
}

/**
 * Items that belong to the transaction a query runner is running, at the nesting level they were
 * added in: a savepoint that is released hands its items to the level above, one that is rolled
 * back drops them, and the top-level commit takes them all. Used for audit entries (chained just
 * before COMMIT) and after-commit callbacks (run just after it).
 */
export class TransactionQueue<T> {
  /** A QueryRunner runs one transaction at a time. */
  private readonly lists = new WeakMap<QueryRunner, Queued<T>[]>();

  add(runner: QueryRunner, item: T): void {
    const list = this.lists.get(runner) ?? [];
    list.push({ depth: transactionDepth(runner), item });
    this.lists.set(runner, list);
  }

  /**
   * The level above `depth` committed (released its savepoint, or COMMIT when `depth` is 0): its
   * items move to `depth`; at 0 they are handed back, in the order they were added, and forgotten.
   */
  committed(runner: QueryRunner, depth: number): T[] {
    const list = this.lists.get(runner);
    if (!list) return [];
    if (depth <= 0) {
      this.lists.delete(runner);
      return list.map((q) => q.item);
    }
    for (const q of list) if (q.depth > depth) q.depth = depth;
    return [];
  }

  /** The levels above `depth` rolled back: their items are dropped. */
  rolledBack(runner: QueryRunner, depth: number): void {
    const list = this.lists.get(runner);
    if (!list) return;
    const kept = depth <= 0 ? [] : list.filter((q) => q.depth <= depth);
    if (kept.length === 0) this.lists.delete(runner);
    else this.lists.set(runner, kept);
  }
}
