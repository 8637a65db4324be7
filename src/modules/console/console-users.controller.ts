import { Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../../libs/errors';
import { Public } from '../auth';
import { CreateApiKeyDto, OrganizationsService } from '../organizations';
import { ConsoleAuthService } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { toDto } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, formBody, html } from './console-http';
import { formProblems } from './domain/error-messages';
import { CreateConsoleInviteDto } from './dto/create-console-invite.dto';
import { KeyRow, usersPage } from './views/auth-pages';
import { EMPTY_FORM, FormState, formState } from './views/layout';

/** Users workspace (org_admin): the organisation's people and invitations, its machine keys. */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app')
export class ConsoleUsersController {
  constructor(
    private readonly auth: ConsoleAuthService,
    private readonly gate: ConsoleGate,
    private readonly organizations: OrganizationsService,
  ) {}

  @Get('users')
  async users(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.admin(request, false);
    return html(reply, await this.usersView(ctx, EMPTY_FORM, EMPTY_FORM, {}));
  }

  @Post('users/invite')
  async invite(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.admin(request, true);
    const body = formBody(request);
    const values = { loginName: field(body, 'loginName'), displayName: field(body, 'displayName'), role: field(body, 'role') };
    try {
      if (!values.displayName) throw Object.assign(new Error(), { empty: true });
      const invitation = await this.auth.invite(ctx.actor, ctx.organization.id, await toDto(CreateConsoleInviteDto, values));
      return html(reply, await this.usersView(ctx, EMPTY_FORM, EMPTY_FORM, { inviteUrl: this.auth.inviteUrl(invitation.token) }));
    } catch (error) {
      if ((error as { empty?: boolean }).empty) {
        return html(reply, await this.usersView(ctx, formState(values, { fields: { displayName: '此项必填' }, general: null }), EMPTY_FORM, {}), 400);
      }
      if (!isDomainError(error)) throw error;
      const problems = formProblems(error, ['loginName', 'displayName', 'role']);
      return html(reply, await this.usersView(ctx, formState(values, problems), EMPTY_FORM, {}), 422);
    }
  }

  @Post('api-keys')
  async createKey(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.admin(request, true);
    const body = formBody(request);
    const values = { role: field(body, 'role'), label: field(body, 'label') };
    try {
      if (!['operator', 'org_admin'].includes(values.role)) throw Object.assign(new Error(), { badRole: true });
      const dto = await toDto(CreateApiKeyDto, { role: values.role, label: values.label || undefined });
      const key = await this.organizations.createApiKey(ctx.actor, ctx.organization.id, dto.role, dto.label);
      return html(reply, await this.usersView(ctx, EMPTY_FORM, EMPTY_FORM, { token: key.token }));
    } catch (error) {
      if ((error as { badRole?: boolean }).badRole) {
        return html(reply, await this.usersView(ctx, EMPTY_FORM, formState(values, { fields: { role: '请从列表中选择' }, general: null }), {}), 400);
      }
      if (!isDomainError(error)) throw error;
      return html(reply, await this.usersView(ctx, EMPTY_FORM, formState(values, formProblems(error, ['role', 'label'])), {}), 422);
    }
  }

  @Post('api-keys/:id/revoke')
  async revokeKey(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.admin(request, true);
    await this.organizations.revokeApiKey(ctx.actor, ctx.organization.id, id);
    return html(reply, await this.usersView(ctx, EMPTY_FORM, EMPTY_FORM, { notice: '密钥已吊销' }));
  }

  private async usersView(ctx: Awaited<ReturnType<ConsoleGate['page']>>, inviteState: FormState, keyState: FormState,
    shown: { inviteUrl?: string; token?: string; notice?: string }): Promise<string> {
    const [users, keys] = await Promise.all([
      this.auth.listUsers(ctx.organization.id),
      this.organizations.listApiKeys(ctx.actor, ctx.organization.id),
    ]);
    return usersPage(ctx, users, keys as KeyRow[], inviteState, keyState, shown);
  }
}
