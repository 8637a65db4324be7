import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { qrSvg } from '../../../libs/labels';
import { Public } from '../auth';
import { BatchesService, CreateBatchDto } from '../batches';
import { CertificatesService } from '../certificates';
import { GiService } from '../gi';
import { LabelsService } from '../labels';
import { MarksService } from '../marks';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import { SitesService } from '../sites';
import { TestRecordsService } from '../test-records';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, chinaInstant, newKey, optional } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, fields, formBody, html, redirect } from './console-http';
import { messageForCode } from './domain/error-messages';
import { formState } from './views/layout';
import { batchesPage, batchPage, KDE_FIELDS, newBatchPage } from './views/batch-pages';

/** Cooperative workspace: batches — the list, creating one, a batch's page (QR, consumer preview, history). */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app')
export class CooperativeBatchesController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly products: ProductsService,
    private readonly sites: SitesService,
    private readonly batches: BatchesService,
    private readonly labels: LabelsService,
    private readonly certificates: CertificatesService,
    private readonly testRecords: TestRecordsService,
    private readonly organizations: OrganizationsService,
    private readonly gi: GiService,
    private readonly marks: MarksService,
  ) {}

  @Get('batches')
  async batchList(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, batchesPage(ctx, (await this.batches.list(ctx.actor, 100)).items));
  }

  @Get('batches/new')
  async newBatch(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, await this.newBatchView(ctx, formState({ producedOn: chinaDate(new Date()), 'quantity.unit': 'kg' }), newKey()));
  }

  @Post('batches')
  async createBatch(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const names = ['productId', 'siteId', 'quantity.value', 'quantity.unit', 'producedOn', 'harvestedOn', 'lotCode', 'giId', ...KDE_FIELDS];
    const values: Record<string, string | string[]> = Object.fromEntries(names.map((n) => [n, field(body, n)]));
    values.marks = fields(body, 'marks');
    const text = (n: string) => values[n] as string;
    const key = field(body, '_key');
    const markAliases = Object.fromEntries(values.marks.map((_, i) => [`marks[${i}].markId`, 'marks']));
    const outcome = await attempt(CreateBatchDto, {
      productId: text('productId'), siteId: text('siteId'), lotCode: optional(text('lotCode')),
      quantity: { value: text('quantity.value') || undefined, unit: text('quantity.unit') }, producedOn: text('producedOn'),
      harvestedOn: optional(text('harvestedOn')), giId: optional(text('giId')),
      variety: optional(text('variety')), growingArea: optional(text('growingArea')),
      harvesterName: optional(text('harvesterName')), harvesterPhone: optional(text('harvesterPhone')),
      cooledAt: chinaInstant(text('cooledAt')), coolingSiteId: optional(text('coolingSiteId')), tlcSourceSiteId: optional(text('tlcSourceSiteId')),
      marks: values.marks.length ? values.marks.map((markId) => ({ markId })) : undefined,
    }, [...names, 'marks'], (dto) => this.batches.create(ctx.actor, dto, key || undefined), { quantity: 'quantity.value', ...markAliases });
    if (outcome.ok) return redirect(reply, `/app/batches/${outcome.result.view.id}?created=1`);
    return html(reply, await this.newBatchView(ctx, formState(values, outcome.problems), key || newKey()), 422);
  }

  private async newBatchView(ctx: ConsoleContext, state: ReturnType<typeof formState>, key: string): Promise<string> {
    const [products, sites, org] = await Promise.all([this.products.list(ctx.actor, 100), this.sites.list(ctx.actor, 100), this.organizations.get(ctx.actor, ctx.organization.id)]);
    // The GIs whose protected area covers one of the organisation's sites, and the marks it holds or is licensed for (the services check each claim).
    const regions = [...new Set(sites.items.map((s) => s.regionCode))].slice(0, 10);
    const [gis, marks] = await Promise.all([
      Promise.all(regions.map((regionCode) => this.gi.list({ status: 'active', regionCode, limit: 50 }))).then((pages) => [...new Map(pages.flatMap((p) => p.items).map((g) => [g.id, g])).values()]),
      // Held or licensed (a brand's licensee claims it too); valid today.
      this.marks.usableBy({ id: org.id, uscc: org.uscc ?? null }, 50).then((marks) => marks.filter((m) => m.state === 'valid')),
    ]);
    return newBatchPage(ctx, { products: products.items, sites: sites.items, gis, marks }, state, key);
  }

  @Get('batches/:id')
  async batch(@Req() request: FastifyRequest, @Param('id') id: string, @Query() query: Record<string, string | undefined>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const batch = await this.batches.get(ctx.actor, id);
    const [runs, certs, tests] = await Promise.all([
      // Print runs are the producer's (a regulator reading the batch is refused them by the service).
      ctx.pages.includes('batch-writes') ? this.labels.listPrintRuns(ctx.actor, batch.id) : { items: [] },
      this.certificates.list(ctx.actor, { batchId: batch.id, limit: 100 }),
      this.testRecords.listForBatch(ctx.actor, batch.id),
    ]);
    const sites = await this.sites.byIds([batch.siteId, ...(batch.coolingSiteId ? [batch.coolingSiteId] : []), ...(batch.tlcSourceSiteId ? [batch.tlcSourceSiteId] : [])]);
    const kdes = {
      harvestedOn: batch.harvestedOn, variety: batch.variety, growingArea: batch.growingArea, harvesterName: batch.harvesterName,
      harvesterPhone: batch.harvesterPhone, cooledAt: batch.cooledAt, coolingSite: batch.cooledAt ? sites.get(batch.coolingSiteId ?? batch.siteId)?.name ?? null : null,
      packedOn: batch.producedOn, tlcSource: sites.get(batch.tlcSourceSiteId ?? batch.siteId)?.name ?? null,
    };
    return html(reply, batchPage(ctx, { batch, qrSvg: qrSvg(batch.qrContent), runs: runs.items, certificates: certs.items, tests: tests.items, kdes },
      batchNotice(query)));
  }
}

/** What the page says after the step that led here (creating, receiving, mixing, a hold or release). */
function batchNotice(q: Record<string, string | undefined>): string | undefined {
  if (q.created) return '批次已创建';
  if (q.received) return q.collect ? `已收货；随货合格证未能登记查验：${messageForCode(q.collect)}` : '已收货';
  if (q.transformed) return '已记录混装 / 分装，这是产出批次';
  if (q.held) return '批次已暂停';
  if (q.released) return '批次已解除暂停';
  if (q.tested) return '检测记录已保存';
  return undefined;
}
