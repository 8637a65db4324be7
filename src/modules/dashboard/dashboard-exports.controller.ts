import { Controller, Get, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../../libs/errors';
import { Public } from '../auth';
import { ConsoleExceptionFilter, ConsoleGate } from '../console';
import { DashboardFilterReader } from './dashboard-filter-reader';
import { DashboardService, TABLE_IDS } from './dashboard.service';
import { DashboardFilters } from './domain/filters';
import type { Table } from './domain/table';
import { contentDisposition, CONTENT_TYPES, EXPORT_FORMATS, ExportFormat, ExportMeta, tableCsv, tableXlsx } from './exports/table-export';
import { PERIOD_TEXT } from './views/dashboard-pages';

type Raw = Record<string, unknown>;

function text(query: Raw, name: string): string | undefined {
  return typeof query[name] === 'string' && query[name] ? query[name] : undefined;
}

/** `regions.csv` → ['regions', 'csv']; anything else is not an export we make (404). */
function parseFile(file: string): [string, ExportFormat] {
  const match = /^([a-z-]+)\.([a-z]+)$/.exec(file);
  const format = EXPORT_FORMATS.find((f) => f === match?.[2]);
  if (!match || !format || !(TABLE_IDS as readonly string[]).includes(match[1])) {
    throw new DomainError('NOT_FOUND', `No export ${file}: ${TABLE_IDS.join(', ')} as .csv or .xlsx`);
  }
  return [match[1], format];
}

/**
 * Every dashboard table as CSV (UTF-8 with BOM) or XLSX: the same rows as the page, all pages of
 * a list up to the export cap, under the same filters and the same scoping.
 */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app/dashboard/export')
export class DashboardExportsController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly reader: DashboardFilterReader,
    private readonly dashboard: DashboardService,
  ) {}

  @Get(':file')
  async export(@Req() request: FastifyRequest, @Param('file') file: string, @Query() query: Raw, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const [id, format] = parseFile(file);
    const got = await this.reader.read(ctx, request, reply, '/app/dashboard', query);
    if (!got) return reply;
    const table = await this.dashboard.exportTable(ctx.actor, id, got.filters, { organization: text(query, 'organization'), batch: text(query, 'batch') });
    const regionName = this.dashboard.regionName(ctx.actor, got.filters);
    const meta: ExportMeta = { title: table.title, filters: this.describe(regionName, got.filters), generatedAt: new Date() };
    const body = format === 'csv' ? tableCsv(table) : await tableXlsx(table, meta);
    return reply.type(CONTENT_TYPES[format]).header('cache-control', 'private, no-store')
      .header('content-disposition', contentDisposition(...this.filenames(table, regionName, got.filters, format)))
      .send(body);
  }

  private describe(regionName: string, f: DashboardFilters): [string, string][] {
    return [['地区', regionName], ['期间', `${f.from} 至 ${f.to}`], ['产品类别', f.category ?? '全部类别'], ['趋势周期', `按${PERIOD_TEXT[f.period]}`]];
  }

  /** 「不合格样品-四川省-2026-01至2026-11.csv」, and an ASCII name for clients without RFC 5987. */
  private filenames(table: Table, regionName: string, f: DashboardFilters, format: ExportFormat): [string, string] {
    return [
      `${table.title}-${regionName}-${f.from}至${f.to}.${format}`,
      `dashboard-${table.id}-${f.region ?? 'all'}-${f.from}_${f.to}.${format}`,
    ];
  }
}
