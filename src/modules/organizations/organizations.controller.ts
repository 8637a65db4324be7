import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { PageQueryDto } from '../../common/pagination';
import { CurrentActor, Roles } from '../auth';
import type { Actor } from '../auth';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { CreateOrganizationDto } from './dto/create-organization.dto';
import { OrganizationsService } from './organizations.service';

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('api/v1/organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  @Roles('admin', 'regulator')
  @ApiErrorCodes('DUPLICATE_USCC', 'INVALID_REGION_CODE', 'INVALID_GLN', 'INVALID_GS1_COMPANY_PREFIX', 'CONFLICT')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrganizationDto) {
    return this.organizations.create(actor, dto);
  }

  @Get()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() page: PageQueryDto) {
    return this.organizations.list(actor, page.limit, page.cursor);
  }

  @Get(':id')
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.organizations.get(actor, id);
  }

  @Post(':id/api-keys')
  @Roles('admin', 'org_admin')
  @ApiErrorCodes('NOT_FOUND', 'ROLE_NOT_ALLOWED')
  createApiKey(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: CreateApiKeyDto) {
    return this.organizations.createApiKey(actor, id, dto.role, dto.label);
  }

  @Get(':id/api-keys')
  @Roles('admin', 'org_admin')
  @ApiErrorCodes('NOT_FOUND')
  listApiKeys(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.organizations.listApiKeys(actor, id);
  }

  @Delete(':id/api-keys/:keyId')
  @HttpCode(204)
  @Roles('admin', 'org_admin')
  @ApiErrorCodes('NOT_FOUND')
  revokeApiKey(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('keyId') keyId: string) {
    return this.organizations.revokeApiKey(actor, id, keyId);
  }
}
