import { Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth';
import { CreateWebhookDto, NotificationsService } from '../notifications';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, fields, formBody, html, redirect } from './console-http';
import { EMPTY_FORM, FormState, formState } from './views/layout';
import { webhooksPage } from './views/webhook-pages';

/** Webhooks (事件推送) in the accounts workspace (org_admin): what the API's /api/v1/webhooks does, as forms. */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app/webhooks')
export class ConsoleWebhooksController {
  constructor(private readonly gate: ConsoleGate, private readonly notifications: NotificationsService) {}

  @Get()
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.admin(request, false);
    const deleted = typeof (request.query as Record<string, unknown>).deleted === 'string';
    return html(reply, await this.view(ctx, EMPTY_FORM, { notice: deleted ? '推送地址已删除' : undefined }));
  }

  @Post()
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.admin(request, true);
    const body = formBody(request);
    const values = { url: field(body, 'url'), kinds: fields(body, 'kinds') };
    const outcome = await attempt(CreateWebhookDto, { url: values.url, kinds: values.kinds.length ? values.kinds : undefined }, ['url', 'kinds'],
      (dto) => this.notifications.createWebhook(ctx.actor, dto), Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`kinds[${i}]`, 'kinds'])));
    if (outcome.ok) return html(reply, await this.view(ctx, EMPTY_FORM, { secret: outcome.result.secret }));
    return html(reply, await this.view(ctx, formState(values, outcome.problems), {}), 422);
  }

  @Post(':id/delete')
  async remove(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.admin(request, true);
    await this.notifications.deleteWebhook(ctx.actor, id);
    return redirect(reply, '/app/webhooks?deleted=1');
  }

  private async view(ctx: ConsoleContext, state: FormState, shown: { secret?: string; notice?: string }): Promise<string> {
    const page = await this.notifications.listWebhooks(ctx.actor, 100);
    return webhooksPage(ctx, page.items, state, shown);
  }
}
