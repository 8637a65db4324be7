import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { PageQueryDto } from '../../common/pagination';
import { CurrentActor, Roles, PRODUCER_WRITERS } from '../auth';
import type { Actor } from '../auth';
import { CreateSiteDto } from './dto/create-site.dto';
import { SitesService } from './sites.service';

@ApiTags('sites')
@ApiBearerAuth()
@Controller('api/v1/sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Post()
  @Roles(...PRODUCER_WRITERS)
  @ApiErrorCodes('INVALID_REGION_CODE', 'INVALID_GLN', 'CONFLICT')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateSiteDto) {
    return this.sites.create(actor, dto);
  }

  @Get()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() page: PageQueryDto) {
    return this.sites.list(actor, page.limit, page.cursor);
  }

  @Get(':id')
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.sites.get(actor, id);
  }
}
