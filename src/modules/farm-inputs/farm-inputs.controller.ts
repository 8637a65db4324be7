import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../../libs/errors';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { LargeBody } from '../../common/request-bodies';
import type { Actor } from '../auth';
import { CurrentActor, Roles } from '../auth';
import { INPUT_CSV_COLUMNS } from './domain/input-csv';
import { CreateFarmInputDto, ListInputsQueryDto } from './dto/farm-input.dto';
import { FarmInputsService, toInputView } from './farm-inputs.service';

@ApiTags('farm inputs')
@ApiBearerAuth()
@Controller('api/v1/inputs')
export class FarmInputsController {
  constructor(private readonly inputs: FarmInputsService) {}

  /** Adds an input to the catalogue (admin and provincial regulators). */
  @Post()
  @Roles('admin', 'regulator')
  @ApiErrorCodes('DUPLICATE_INPUT', 'INVALID_DOSE', 'INVALID_REGISTRATION_NUMBER', 'UNKNOWN_ANALYTE', 'UNKNOWN_CATEGORY')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateFarmInputDto) {
    return this.inputs.create(actor, { ...dto, flags: dto.flags ?? {} });
  }

  /**
   * Imports the catalogue as CSV (`text/csv`): all or nothing; any bad row → 422
   * INPUT_IMPORT_REJECTED with the import report `{rowCount, problemCount, problems:[{row, column, code, message}], truncated}`.
   */
  @Post('import')
  @LargeBody('csv')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiConsumes('text/csv', 'text/plain')
  @ApiBody({ schema: { type: 'string', example: `${INPUT_CSV_COLUMNS.join(',')}\npesticide,2.5%溴氰菊酯乳油,PD20080005,示例农药有限公司,溴氰菊酯 2.5%,水果:14:40mL/亩,no,no,no,no,no,no,示例,` } })
  @ApiErrorCodes('INPUT_IMPORT_REJECTED', 'INVALID_CSV')
  import(@CurrentActor() actor: Actor, @Body() body: unknown) {
    if (typeof body !== 'string') throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the catalogue as the request body with Content-Type: text/csv');
    return this.inputs.importCsv(actor, body);
  }

  @Get()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@Query() query: ListInputsQueryDto) {
    return this.inputs.list(query);
  }

  @Get(':id')
  @ApiErrorCodes('NOT_FOUND')
  async get(@Param('id') id: string) {
    return toInputView(await this.inputs.get(id));
  }
}
