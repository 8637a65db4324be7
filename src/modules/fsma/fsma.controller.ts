import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../../libs/errors';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor } from '../auth';
import type { Actor } from '../auth';
import { cellsToRow } from './domain';
import { FsmaService } from './fsma.service';

const TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
} as const;

@ApiTags('FSMA 204 records')
@ApiBearerAuth()
@Controller('api/v1/fsma204')
export class FsmaController {
  constructor(private readonly fsma: FsmaService) {}

  /**
   * FDA's electronic sortable spreadsheet for one product (GTIN) and a date range (China dates,
   * inclusive): one row per critical tracking event with its key data elements, plus the EU
   * 931/2011 names and addresses. An organisation gets its own events, a regulator its jurisdiction's.
   */
  @Get('records')
  @ApiQuery({ name: 'gtin', required: true })
  @ApiQuery({ name: 'from', required: true, description: 'YYYY-MM-DD' })
  @ApiQuery({ name: 'to', required: true, description: 'YYYY-MM-DD (inclusive)' })
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'xlsx', 'json'] })
  @ApiProduces(TYPES.csv, TYPES.xlsx, TYPES.json)
  @ApiErrorCodes('INVALID_GTIN', 'VALIDATION_FAILED')
  async records(@CurrentActor() actor: Actor, @Query('gtin') gtin: string | undefined, @Query('from') from: string | undefined,
    @Query('to') to: string | undefined, @Query('format') format: string | undefined, @Res() reply: FastifyReply) {
    const kind = format ?? 'csv';
    if (kind !== 'csv' && kind !== 'xlsx' && kind !== 'json') {
      throw new DomainError('VALIDATION_FAILED', 'format must be csv, xlsx or json', { field: 'format', rule: 'enum' });
    }
    const result = await this.fsma.records(actor, { gtin, from, to });
    if (kind === 'json') return reply.type(TYPES.json).send({ ...result, rows: result.rows.map(cellsToRow) });
    const name = `fsma204-${result.gtin}-${result.from}-${result.to}.${kind}`;
    // Streamed: the first bytes leave while later rows are still being written.
    const body = kind === 'csv' ? this.fsma.csv(result.rows)
      : this.fsma.xlsx(result.rows, `FSMA 204 records, GTIN ${result.gtin}, ${result.from} to ${result.to}`);
    return reply.type(TYPES[kind]).header('Content-Disposition', `attachment; filename="${name}"`).send(body);
  }
}
