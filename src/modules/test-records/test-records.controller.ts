import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor, Roles, PRODUCER_WRITERS } from '../auth';
import type { Actor } from '../auth';
import { CreateTestRecordDto } from './dto/create-test-record.dto';
import { TestRecordsService } from './test-records.service';

@ApiTags('test-records')
@ApiBearerAuth()
@Controller('api/v1')
export class TestRecordsController {
  constructor(private readonly records: TestRecordsService) {}

  @Post('batches/:id/test-records')
  @Roles(...PRODUCER_WRITERS)
  @ApiErrorCodes('INVALID_TEST_RESULT', 'NOT_FOUND', 'STREAM_NOT_SELF_DECLARED')
  create(@CurrentActor() actor: Actor, @Param('id') batchId: string, @Body() dto: CreateTestRecordDto) {
    return this.records.create(actor, batchId, dto);
  }

  @Get('batches/:id/test-records')
  @ApiErrorCodes('NOT_FOUND')
  list(@CurrentActor() actor: Actor, @Param('id') batchId: string) {
    return this.records.listForBatch(actor, batchId);
  }

  @Get('test-records/:id')
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.records.get(actor, id);
  }
}
