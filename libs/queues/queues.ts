/**
 * Queue names and job payloads shared by the API (which records jobs) and the worker (which runs
 * them). Payloads carry ids only: workflow state lives in Postgres, Redis only moves jobs.
 */
export const QUEUES = {
  labelRender: 'label-render',
  webhookDelivery: 'webhook-delivery',
  epcisCapture: 'epcis-capture',
  samplingJudge: 'sampling-judge',
  samplingConsequence: 'sampling-consequence',
  samplingSchedule: 'sampling-schedule',
  indicatorsFold: 'indicators-fold',
  auditCheckpoint: 'audit-checkpoint',
  jobsSweep: 'jobs-sweep',
  recallsOverdue: 'recalls-overdue',
  inspectionsOverdue: 'inspections-overdue',
  consumerReportsRetention: 'consumer-reports-retention',
  scanPartitions: 'scan-partitions',
  listingAlerts: 'listing-alerts',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  'label-render': { renderId: string };
  'webhook-delivery': { deliveryId: string };
  'epcis-capture': { captureId: string };
  /** Judges the submitted samples of one submission chunk (JSON: one sample; CSV: up to a few hundred). */
  'sampling-judge': { chunkId: string };
  /** One step of a failed sample's consequence flow (hold → void certificates → downstream → notify). */
  'sampling-consequence': { sampleId: string; step: string };
  /** Generates the tasks of every plan period that has started (job scheduler). */
  'sampling-schedule': { on?: string };
  /** Folds pending indicator deltas into the aggregates (job scheduler, every few seconds). */
  'indicators-fold': Record<string, never>;
  /** Signs the audit chain's head unless the last checkpoint covers it (job scheduler, hourly). */
  'audit-checkpoint': Record<string, never>;
  /** Requeues or fails renders, captures and judging left unfinished by lost jobs (job scheduler). */
  'jobs-sweep': Record<string, never>;
  /** Alerts open recalls past their finish day, once each (job scheduler, hourly). */
  'recalls-overdue': Record<string, never>;
  /** Alerts open inspection findings past their rectification deadline, once each (job scheduler, daily). */
  'inspections-overdue': Record<string, never>;
  /** Deletes consumer reports' phone numbers and photos past retention, and client keys past the alert window (job scheduler, hourly). */
  'consumer-reports-retention': Record<string, never>;
  /** Makes scan_events' monthly partitions ahead and drops those past the retention (job scheduler, daily). */
  'scan-partitions': Record<string, never>;
  /**
   * A batch went on hold or was recalled (recorded in that transaction, whichever process made it):
   * the listings shipping it refresh their state and alert their owners, once per listing, batch and status.
   */
  'listing-alerts': { batchId: string; status: 'on_hold' | 'recalled' };
}

/** A job of a flow: run in order, each after the previous one completed. */
export interface FlowStep<Q extends QueueName = QueueName> {
  queue: Q;
  jobId: string;
  payload: JobPayloads[Q];
}

/** Outbox rows with this queue name carry a whole flow (`{ steps: FlowStep[] }`). */
export const FLOW_OUTBOX_QUEUE = 'flow';

/** Retries for infrastructure errors (database or Redis down); domain errors are not retried. */
export const RETRY_POLICY = { attempts: 6, backoffMs: 1000 } as const;

export function backoffDelay(attempt: number): number {
  return RETRY_POLICY.backoffMs * 2 ** Math.max(0, attempt - 1);
}

/** Who a job acts for, when the feature that enqueued it records one in the job's data. */
export interface JobActor {
  kind: string;
  id: string | null;
  organizationId: string | null;
}

/**
 * The actor recorded in a job's data (`actor`), if well-formed. A job without one acts as itself —
 * never as the request that happened to enqueue it.
 */
export function recordedJobActor(payload: object): JobActor | undefined {
  const actor = (payload as { actor?: unknown }).actor;
  if (typeof actor !== 'object' || actor === null) return undefined;
  const { kind, id, organizationId } = actor as Record<string, unknown>;
  const nullableString = (v: unknown) => v === null || typeof v === 'string';
  if (typeof kind !== 'string' || kind === '' || !nullableString(id) || !nullableString(organizationId)) return undefined;
  return { kind, id: id as string | null, organizationId: organizationId as string | null };
}
