import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationsModule } from '../organizations';
import { Notification } from './notification.entity';
import { NotificationsController, WebhooksController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { WebhookAddressGuard } from './webhook-address-guard';
import { WebhookDeliverer } from './webhook-deliverer';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookSubscription } from './webhook-subscription.entity';

/** Notifications to organisations and regulators, delivered to their signed webhooks. */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookSubscription, Notification, WebhookDelivery]), OrganizationsModule],
  controllers: [WebhooksController, NotificationsController],
  providers: [NotificationsService, WebhookDeliverer, WebhookAddressGuard],
  exports: [NotificationsService, WebhookDeliverer],
})
export class NotificationsModule {}
