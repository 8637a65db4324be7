import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor, Roles } from '../auth';
import type { Actor } from '../auth';
import { ConsoleAuthService } from './console-auth.service';
import { CreateConsoleInviteDto } from './dto/create-console-invite.dto';

/**
 * Console accounts through the API: the platform admin (or an org_admin key) invites a person;
 * the answer carries the one-time link (shown once) where they choose their password.
 */
@ApiTags('console')
@ApiBearerAuth()
@Controller('api/v1/organizations')
export class ConsoleInvitesController {
  constructor(private readonly auth: ConsoleAuthService) {}

  @Post(':id/console-invites')
  @Roles('admin', 'org_admin')
  @ApiErrorCodes('LOGIN_NAME_TAKEN', 'NOT_FOUND')
  async invite(@CurrentActor() actor: Actor, @Param('id') orgId: string, @Body() dto: CreateConsoleInviteDto) {
    const invitation = await this.auth.invite(actor, orgId, dto);
    const { token, ...rest } = invitation;
    return { ...rest, inviteUrl: this.auth.inviteUrl(token) };
  }
}
