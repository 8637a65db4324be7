import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobPayloads, QUEUES } from '../../../libs/queues';
import { runAsAuditActor, WORKER_ACTOR } from '../audit/audit-context';
import type { JobContext, JobProcessor } from '../jobs/job-processor';
import { JobRegistry } from '../jobs/job-registry';
import { WebhookDeliverer } from './webhook-deliverer';

/** Delivers one webhook; a failed attempt throws, and the queue retries it with backoff. */
@Injectable()
export class WebhookDeliveryProcessor implements JobProcessor<'webhook-delivery'>, OnModuleInit {
  readonly queue = QUEUES.webhookDelivery;

  constructor(
    private readonly deliverer: WebhookDeliverer,
    private readonly registry: JobRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  process(payload: JobPayloads['webhook-delivery'], context: JobContext): Promise<void> {
    return runAsAuditActor(WORKER_ACTOR, () => this.deliverer.deliver(payload.deliveryId, context.attempt));
  }
}
