/**
 * Queue names and job payloads shared by the API (which records jobs) and the worker (which runs
 * them). Payloads carry ids only: workflow state lives in Postgres, Redis only moves jobs.
 */
export const QUEUES = {
  labelRender: 'label-render',
  webhookDelivery: 'webhook-delivery',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  'label-render': { renderId: string };
  'webhook-delivery': { deliveryId: string };
}

/** Retries for infrastructure errors (database or Redis down); domain errors are not retried. */
export const RETRY_POLICY = { attempts: 6, backoffMs: 1000 } as const;

export function backoffDelay(attempt: number): number {
  return RETRY_POLICY.backoffMs * 2 ** Math.max(0, attempt - 1);
}
