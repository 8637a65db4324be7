import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, isDomainError } from '../../../libs/errors';
import { Public, regulatorPrefix } from '../auth';
import { attempt, field, formBody, formState, redirect } from '../console';
import { CertificateScopeService } from '../categories';
import { ConsoleExceptionFilter, ConsoleGate, html } from '../console';
import type { ConsoleContext } from '../console';
import { DashboardFilterReader, Filtered } from './dashboard-filter-reader';
import { DashboardService, PAGE_SIZE } from './dashboard.service';
import { filterQuery } from './domain/filters';
import type { Table } from './domain/table';
import { DASHBOARD_CSS } from './views/dashboard-css';
import { batchPage, listPage, organizationPage, overviewPage } from './views/dashboard-pages';
import { ImportProblemView, marketSamplingPage } from './views/market-sampling-page';
import { ImportMarketSamplingQueryDto, MarketSamplingService } from '../market-sampling';

type Raw = Record<string, unknown>;

/** A provincial regulator: the one who imports the market regulator's sampling statistics. */
function provincial(ctx: ConsoleContext): boolean {
  return regulatorPrefix(ctx.actor)?.length === 2;
}

function cursorOf(query: Raw): string | undefined {
  return typeof query.cursor === 'string' && query.cursor ? query.cursor : undefined;
}

function next(path: string, got: Filtered, cursor: string | null): string | null {
  return cursor ? `${path}${filterQuery(got.filters, { cursor })}` : null;
}

/** Organisations shown in the gaps summary on the page; the export holds them all. */
const SUMMARY_ROWS_SHOWN = 100;

function summaryShown(summary: Table): { table: Table; caption?: string } {
  if (summary.rows.length <= SUMMARY_ROWS_SHOWN) return { table: summary };
  return {
    table: { ...summary, rows: summary.rows.slice(0, SUMMARY_ROWS_SHOWN) },
    caption: `共 ${summary.rows.length} 个主体，此处显示未开证批次最多的 ${SUMMARY_ROWS_SHOWN} 个；导出包含全部。`,
  };
}

/**
 * The regulator dashboard inside the console (/app/dashboard): indicator tiles, trends and a
 * breakdown that drills down province → 市(州) → county → organisation → batch → samples, and the
 * lists of failed samples and of batches without certificates. Producers get their own figures.
 */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app/dashboard')
export class DashboardController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly reader: DashboardFilterReader,
    private readonly dashboard: DashboardService,
    private readonly certificateScope: CertificateScopeService,
    private readonly marketSampling: MarketSamplingService,
  ) {}

  @Get('dashboard.css')
  stylesheet(@Res() reply: FastifyReply) {
    return reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(DASHBOARD_CSS);
  }

  @Get()
  async overview(@Req() request: FastifyRequest, @Query() query: Raw, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const got = await this.reader.read(ctx, request, reply, '/app/dashboard', query);
    if (!got) return reply;
    const data = await this.dashboard.overview(ctx.actor, got.filters);
    return html(reply, overviewPage(ctx, { ...data, filters: got.filters, form: got.form, ownOrganizationId: this.ownOrganization(ctx), mayImport: provincial(ctx) }));
  }

  /** A provincial regulator imports the market regulator's published sampling results; others are sent to the dashboard. */
  @Get('market-sampling')
  async marketSamplingForm(@Req() request: FastifyRequest, @Query('imported') imported: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    if (!provincial(ctx)) return redirect(reply, '/app/dashboard');
    const notice = imported && /^\d{1,6}$/.test(imported) ? `已导入 ${imported} 行` : undefined;
    return html(reply, marketSamplingPage(ctx, await this.importedFigures(ctx), formState({}), [], notice));
  }

  @Post('market-sampling')
  async marketSamplingImport(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    if (!provincial(ctx)) return redirect(reply, '/app/dashboard');
    const body = formBody(request);
    const values = { source: field(body, 'source'), fileName: field(body, 'fileName'), csv: field(body, 'csv') };
    let problems: ImportProblemView[] = [];
    const outcome = await attempt(ImportMarketSamplingQueryDto, { source: values.source, fileName: values.fileName || undefined }, ['source', 'fileName', 'csv'],
      async (dto) => {
        try {
          return await this.marketSampling.importCsv(ctx.actor, values.csv ? `${values.csv}\n` : '', dto);
        } catch (error) {
          if (!isDomainError(error)) throw error;
          problems = ((error.details as { problems?: ImportProblemView[] } | undefined)?.problems) ?? [];
          // An unreadable file names the box it was pasted into.
          throw new DomainError(error.code, error.message, { ...error.details, field: 'csv' });
        }
      });
    if (outcome.ok) return redirect(reply, `/app/dashboard/market-sampling?imported=${outcome.result.rows}`);
    // Every field's problem at once: a missing source does not hide an empty file.
    if (!values.csv) outcome.problems.fields.csv ??= '请选择或粘贴 CSV 文件';
    return html(reply, marketSamplingPage(ctx, await this.importedFigures(ctx), formState(values, outcome.problems), problems), 422);
  }

  private async importedFigures(ctx: ConsoleContext) {
    return (await this.marketSampling.list(ctx.actor, { limit: 50 })).items;
  }

  @Get('organizations/:id')
  async organization(@Req() request: FastifyRequest, @Param('id') id: string, @Query() query: Raw, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const path = `/app/dashboard/organizations/${encodeURIComponent(id)}`;
    const got = await this.reader.read(ctx, request, reply, path, query);
    if (!got) return reply;
    const data = await this.dashboard.organization(ctx.actor, id, got.filters, cursorOf(query));
    return html(reply, organizationPage(ctx, {
      filters: got.filters, organization: data.organization, kpi: data.kpi, batches: data.table, nextHref: next(path, got, data.nextCursor),
      regionName: this.dashboard.regionName(ctx.actor, got.filters), trail: this.dashboard.trail(ctx.actor, got.filters),
    }));
  }

  @Get('batches/:id')
  async batch(@Req() request: FastifyRequest, @Param('id') id: string, @Query() query: Raw, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const path = `/app/dashboard/batches/${encodeURIComponent(id)}`;
    const got = await this.reader.read(ctx, request, reply, path, query);
    if (!got) return reply;
    const data = await this.dashboard.batch(ctx.actor, id, got.filters, cursorOf(query));
    return html(reply, batchPage(ctx, {
      filters: got.filters, batch: data.batch, samples: data.table, trace: data.trace, farm: data.farm, nextHref: next(path, got, data.nextCursor),
      trail: this.dashboard.trail(ctx.actor, got.filters, ctx.user.role === 'regulator' ? data.batch.regionCode : null),
    }));
  }

  @Get('failed-samples')
  async failedSamples(@Req() request: FastifyRequest, @Query() query: Raw, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const path = '/app/dashboard/failed-samples';
    const got = await this.reader.read(ctx, request, reply, path, query);
    if (!got) return reply;
    const data = await this.dashboard.failedSamplesWithTotal(ctx.actor, got.filters, cursorOf(query));
    return html(reply, listPage(ctx, path, '不合格样品', {
      filters: got.filters, form: got.form, regionName: this.dashboard.regionName(ctx.actor, got.filters),
      tables: [{ table: data.table, caption: `共 ${data.total} 个不合格样品${data.nextCursor ? `，每页 ${PAGE_SIZE} 个` : ''}。`, empty: '该期间没有不合格样品' }],
      nextHref: next(path, got, data.nextCursor),
      note: '列出抽样日期在所选期间内、判定为不合格的样品（与指标同口径；复检被采纳后以复检结论为准），最新判定在前。',
    }));
  }

  @Get('certificate-gaps')
  async certificateGaps(@Req() request: FastifyRequest, @Query() query: Raw, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const path = '/app/dashboard/certificate-gaps';
    const got = await this.reader.read(ctx, request, reply, path, query);
    if (!got) return reply;
    const data = await this.dashboard.certificateGaps(ctx.actor, got.filters, cursorOf(query));
    const scope = (await this.certificateScope.list()).items.map((r) => r.category.split('>').pop()).join('、');
    return html(reply, listPage(ctx, path, '未开合格证批次', {
      filters: got.filters, form: got.form, regionName: this.dashboard.regionName(ctx.actor, got.filters),
      tables: [summaryShown(data.summary), { table: data.table }], nextHref: next(path, got, data.nextCursor),
      note: `按生产日期统计必须开具合格证的类别（${scope}，见 /api/v1/certificate-scope）中没有有效合格证的批次，个人农户除外；选了产品类别时只列该类别及其下级类别。`,
    }));
  }

  /** Producers drill into their own organisation; regulators through the breakdown. */
  private ownOrganization(ctx: ConsoleContext): string | null {
    return ctx.user.role === 'regulator' ? null : ctx.organization.id;
  }
}
