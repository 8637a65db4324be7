import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { PageQueryDto } from '../../common/pagination';
import { CurrentActor, Roles } from '../auth';
import type { Actor } from '../auth';
import { CreateWebhookDto } from './dto/create-webhook.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly notifications: NotificationsService) {}

  /** `{ url, kinds? }` → the subscription with its signing `secret`, shown this once. */
  @Post()
  @Roles('org_admin', 'regulator')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateWebhookDto) {
    return this.notifications.createWebhook(actor, dto);
  }

  @Get()
  @Roles('org_admin', 'regulator')
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() page: PageQueryDto) {
    return this.notifications.listWebhooks(actor, page.limit, page.cursor);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('org_admin', 'regulator')
  @ApiErrorCodes('NOT_FOUND')
  remove(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.notifications.deleteWebhook(actor, id);
  }
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiErrorCodes('FORBIDDEN', 'INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() page: PageQueryDto) {
    return this.notifications.listNotifications(actor, page.limit, page.cursor);
  }
}
