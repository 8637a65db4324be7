// The public surface of notifications: other features import only from here (npm run lint checks).
export { NotificationsModule } from './notifications.module';
export { NotificationsService } from './notifications.service';
export { CreateWebhookDto } from './dto/create-webhook.dto';
