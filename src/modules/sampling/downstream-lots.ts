import type { EntityManager } from 'typeorm';

/**
 * Supply-chain lookup used by the "flag downstream batches" step: batches made from or sold out of
 * a batch. Bound by the events module (supply-chain events); when nothing is bound the step
 * records that there is no supply-chain data instead of pretending there is nothing downstream.
 */
export interface DownstreamLots {
  downstreamOf(manager: EntityManager, batchId: string): Promise<string[]>;
}

export const DOWNSTREAM_LOTS = Symbol('DOWNSTREAM_LOTS');
