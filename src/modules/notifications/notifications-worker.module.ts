import { Module } from '@nestjs/common';
import { NotificationsModule } from './notifications.module';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';

/** The webhook-delivery processor: loaded by the worker process, and by the API in embedded mode. */
@Module({ imports: [NotificationsModule], providers: [WebhookDeliveryProcessor] })
export class NotificationsWorkerModule {}
