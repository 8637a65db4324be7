import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chinaLocalInput } from '../../../libs/codes/calendar-date';
import { DomainError, isDomainError } from '../../../libs/errors';
import { Public } from '../auth';
import { BatchesService } from '../batches';
import { FsmaService } from '../fsma';
import { AllocateSsccsDto, LogisticsService, PackSsccDto, ReceiveSsccDto, ShipSsccDto } from '../logistics';
import type { InboundUnitView } from '../logistics';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import { SitesService } from '../sites';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, chinaInstant, decimalOrText, newKey, optional } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, formBody, html, redirect } from './console-http';
import { formProblems } from './domain/error-messages';
import { EMPTY_FORM, formState, FormState } from './views/layout';
import { fsmaPage, receiveUnitPage, unitPage, unitsPage } from './views/logistics-pages';

// Not from/to: the dashboard's links carry its own month filters under those names.
const FSMA_FIELDS = ['gtin', 'fromDate', 'toDate', 'format'];

const RECEIPT_FIELDS = ['siteId', 'receivedAt', 'referenceDocument', 'referenceDocumentType', 'products'];

/**
 * The receipt form's first values: every lot preselected as the receiver's product with the same GTIN
 * (what the service would book), and now to the second: to the minute, a unit received in the minute
 * it left would read as received before it left (the service refuses that).
 */
function receiptDefaults(unit: InboundUnitView): Record<string, string> {
  const lots = Object.fromEntries(unit.lots.map((l, i) => [`products[${i}].productId`, l.sameGtinProductId ?? '']));
  return { receivedAt: chinaLocalInput(Date.now(), true), ...lots };
}

/**
 * Logistic units in the shipments workspace: allocate SSCCs, pack lots on one, print its GS1
 * logistic label, ship it whole; and the FSMA 204 records sheet (producers and traders here,
 * regulators under the dashboard). The logistics and FSMA services keep the rules.
 */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app')
export class LogisticsConsoleController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly logistics: LogisticsService,
    private readonly fsma: FsmaService,
    private readonly batches: BatchesService,
    private readonly products: ProductsService,
    private readonly organizations: OrganizationsService,
    private readonly sites: SitesService,
  ) {}

  private async unitsView(ctx: ConsoleContext, state: FormState, notice?: string): Promise<string> {
    const [units, canAllocate] = await Promise.all([this.logistics.list(ctx.actor), this.logistics.canAllocate(ctx.actor)]);
    return unitsPage(ctx, units, canAllocate, state, notice);
  }

  @Get('shipments/units')
  async units(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, await this.unitsView(ctx, EMPTY_FORM));
  }

  @Post('shipments/units')
  async allocate(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const count = field(formBody(request), 'count');
    const outcome = await attempt(AllocateSsccsDto, { count: decimalOrText(count) }, ['count'], (dto) => this.logistics.allocate(ctx.actor, dto));
    if (outcome.ok) return redirect(reply, `/app/shipments/units/${outcome.result.ssccs[0]}?allocated=${outcome.result.ssccs.length}`);
    return html(reply, await this.unitsView(ctx, formState({ count }, outcome.problems)), 422);
  }

  private async unitView(ctx: ConsoleContext, sscc: string, pack: FormState, ship: FormState, notice?: string): Promise<string> {
    const unit = await this.logistics.get(ctx.actor, sscc);
    const [lots, own] = await Promise.all([
      this.batches.byIds(unit.contents.map((c) => c.batchId)),
      unit.status === 'open' ? this.batches.list(ctx.actor, 100) : Promise.resolve({ items: [] }),
    ]);
    const products = await this.products.byIds(lots.map((b) => b.productId));
    const lotText = new Map(lots.map((b) => [b.id, `${products.get(b.productId)?.name ?? ''} · ${b.lotCode}`]));
    return unitPage(ctx, {
      sscc: unit.sscc, status: unit.status,
      contents: unit.contents.map((c) => ({ lot: lotText.get(c.batchId) ?? c.batchId, quantity: c.quantity })),
      batches: own.items.filter((b) => b.status === 'active'),
    }, pack, ship, newKey(), newKey(), notice);
  }

  @Get('shipments/units/:sscc')
  async unit(@Req() request: FastifyRequest, @Param('sscc') sscc: string, @Query() query: Record<string, string | undefined>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const notice = query.allocated ? `已分配 ${query.allocated} 个 SSCC` : query.shipped ? '已发货' : query.packed ? '已装入' : undefined;
    return html(reply, await this.unitView(ctx, sscc, formState({ 'quantity.unit': 'kg' }), EMPTY_FORM, notice));
  }

  @Post('shipments/units/:sscc/contents')
  async pack(@Req() request: FastifyRequest, @Param('sscc') sscc: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const names = ['batchId', 'quantity.value', 'quantity.unit'];
    const values: Record<string, string> = Object.fromEntries(names.map((n) => [n, field(body, n)]));
    const key = field(body, '_key');
    const outcome = await attempt(PackSsccDto, {
      lots: [{ batchId: values.batchId, quantity: { value: values['quantity.value'], unit: values['quantity.unit'] } }],
    }, names, (dto) => this.logistics.pack(ctx.actor, sscc, dto, key || undefined), { 'lots.0.batchId': 'batchId', 'lots.0.quantity.value': 'quantity.value', 'lots.0.quantity': 'quantity.value', 'lots.0.quantity.unit': 'quantity.unit', lots: 'batchId' });
    if (outcome.ok) return redirect(reply, `/app/shipments/units/${outcome.result.view.sscc}?packed=1`);
    return html(reply, await this.unitView(ctx, sscc, formState(values, outcome.problems), EMPTY_FORM), 422);
  }

  @Post('shipments/units/:sscc/shipment')
  async ship(@Req() request: FastifyRequest, @Param('sscc') sscc: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const names = ['toUscc', 'referenceDocument', 'referenceDocumentType'];
    const values: Record<string, string> = Object.fromEntries(names.map((n) => [n, field(body, n)]));
    const key = field(body, '_key');
    const uscc = values.toUscc.toUpperCase().replace(/\s+/g, '');
    const [receiver] = uscc ? await this.organizations.identities({ usccs: [uscc] }) : [];
    if (uscc && (!receiver || receiver.id === ctx.organization.id)) {
      const problems = { fields: { toUscc: receiver ? '不能发货给本单位' : '平台上没有这个统一社会信用代码的单位，请核对' }, general: null };
      return html(reply, await this.unitView(ctx, sscc, formState({ 'quantity.unit': 'kg' }), formState(values, problems)), 422);
    }
    const outcome = await attempt(ShipSsccDto, {
      toOrganizationId: receiver?.id ?? '', referenceDocument: optional(values.referenceDocument), referenceDocumentType: optional(values.referenceDocumentType),
    }, names, (dto) => this.logistics.ship(ctx.actor, sscc, dto, key || undefined), { toOrganizationId: 'toUscc' });
    if (outcome.ok) return redirect(reply, `/app/shipments/units/${outcome.result.view.sscc}?shipped=1`);
    return html(reply, await this.unitView(ctx, sscc, formState({ 'quantity.unit': 'kg' }), formState(values, outcome.problems)), 422);
  }

  @Get('shipments/units/:sscc/label.pdf')
  async label(@Req() request: FastifyRequest, @Param('sscc') sscc: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const body = await this.logistics.label(ctx.actor, sscc, 'pdf');
    return reply.type('application/pdf').header('cache-control', 'no-store').header('Content-Disposition', `attachment; filename="sscc-${sscc}.pdf"`).send(body);
  }

  /**
   * The receiver's scan page: with `?sscc=` (any form a scanner sends), the unit shipped here and its
   * receipt form, or its receipt once received; an SSCC not shipped here, or mistyped, is named at
   * the field (404 / 422), never a page of its own.
   */
  @Get('shipments/receive')
  async receiveUnitForm(@Req() request: FastifyRequest, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    // A repeated ?sscc= arrives as an array: read as nothing typed.
    const typed = typeof query.sscc === 'string' ? query.sscc.trim() : '';
    if (!typed) return html(reply, await this.receiveUnitView(ctx, formState({ sscc: '' }), null, EMPTY_FORM, newKey()));
    const found = await this.inboundUnit(ctx, typed);
    if (!found.ok) return html(reply, await this.receiveUnitView(ctx, found.scan, null, EMPTY_FORM, newKey()), found.status);
    const notice = query.received && found.unit.receivedAt ? '已收货：每个批次已入库为本单位的批次' : undefined;
    return html(reply, await this.receiveUnitView(ctx, formState({ sscc: found.unit.sscc }), found.unit, formState(receiptDefaults(found.unit)), newKey(), notice));
  }

  /** The unit shipped to this organisation, or the scan form's problem and status. */
  private async inboundUnit(ctx: ConsoleContext, typed: string): Promise<{ ok: true; unit: InboundUnitView } | { ok: false; scan: FormState; status: number }> {
    try {
      return { ok: true, unit: await this.logistics.inbound(ctx.actor, typed) };
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const problems = formProblems(error as DomainError, ['sscc']);
      return { ok: false, scan: formState({ sscc: typed }, problems), status: error.code === 'SSCC_NOT_FOUND' ? 404 : 422 };
    }
  }

  private async receiveUnitView(ctx: ConsoleContext, scan: FormState, unit: InboundUnitView | null, state: FormState, key: string, notice?: string): Promise<string> {
    const [arriving, products, sites] = await Promise.all([
      unit ? Promise.resolve([]) : this.logistics.arriving(ctx.actor),
      unit && !unit.receivedAt ? this.products.list(ctx.actor, 100) : Promise.resolve({ items: [] }),
      unit && !unit.receivedAt ? this.sites.list(ctx.actor, 100) : Promise.resolve({ items: [] }),
    ]);
    return receiveUnitPage(ctx, { scan, arriving, unit, products: products.items, sites: sites.items }, state, key, notice);
  }

  /**
   * Receives the whole unit: every lot on it becomes an inbound lot here. The form's one-time key is
   * the receipt's Idempotency-Key, so a double submit answers the first receipt; a unit already
   * received goes straight to its receipt.
   */
  @Post('shipments/receive/:sscc')
  async receiveUnit(@Req() request: FastifyRequest, @Param('sscc') sscc: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const key = field(body, '_key');
    const found = await this.inboundUnit(ctx, sscc);
    if (!found.ok) return html(reply, await this.receiveUnitView(ctx, found.scan, null, EMPTY_FORM, newKey()), found.status);
    const unit = found.unit;
    const receiptPath = `/app/shipments/receive?sscc=${unit.sscc}&received=1`;
    if (unit.receivedAt) return redirect(reply, receiptPath);
    // One products[] entry per lot still to be booked (a lot received on its own has none); each
    // entry's errors go to its lot's row of the form.
    const pending = unit.lots.map((lot, i) => ({ lot, row: `products[${i}].productId` })).filter(({ lot }) => !lot.receivedBatch);
    const names = [...RECEIPT_FIELDS, ...pending.map((p) => p.row)];
    const values: Record<string, string> = Object.fromEntries(names.map((n) => [n, field(body, n)]));
    const aliases = Object.fromEntries(pending.flatMap(({ row }, j) => [[`products.${j}.productId`, row], [`products[${j}].productId`, row], [`products.${j}`, row]]));
    const outcome = await attempt(ReceiveSsccDto, {
      siteId: values.siteId, receivedAt: chinaInstant(values.receivedAt),
      referenceDocument: optional(values.referenceDocument), referenceDocumentType: optional(values.referenceDocumentType),
      products: pending.map(({ lot, row }) => ({ batchId: lot.batchId, productId: values[row] })),
    }, names, (dto) => this.logistics.receive(ctx.actor, unit.sscc, dto, key || undefined), aliases);
    if (outcome.ok) return redirect(reply, receiptPath);
    return html(reply, await this.receiveUnitView(ctx, formState({ sscc: unit.sscc }), unit, formState(values, outcome.problems), key || newKey()), 422);
  }

  @Get('shipments/fsma204')
  async fsmaForTraders(@Req() request: FastifyRequest, @Query() query: Record<string, string | undefined>, @Res() reply: FastifyReply) {
    return this.fsmaSheet(request, query, reply, '/app/shipments/fsma204', 'shipments');
  }

  @Get('dashboard/fsma204')
  async fsmaForRegulators(@Req() request: FastifyRequest, @Query() query: Record<string, string | undefined>, @Res() reply: FastifyReply) {
    return this.fsmaSheet(request, query, reply, '/app/dashboard/fsma204', 'dashboard');
  }

  /** The form; with gtin, from and to filled in, the file itself (streamed), or the form again naming what was wrong. */
  private async fsmaSheet(request: FastifyRequest, query: Record<string, string | undefined>, reply: FastifyReply, action: string, active: string) {
    const ctx = await this.gate.page(request);
    const values: Record<string, string> = Object.fromEntries(FSMA_FIELDS.map((n) => [n, query[n] ?? '']));
    // A producer picks one of its products with a GTIN; a regulator types one.
    const own = ctx.pages.includes('products') ? (await this.products.list(ctx.actor, 100)).items.filter((p) => p.gtin) : [];
    const gtins: [string, string][] = own.length ? [['', '请选择'], ...own.map((p): [string, string] => [p.gtin!, `${p.name}（${p.gtin}）`])] : [];
    if (query.gtin === undefined) return html(reply, fsmaPage(ctx, action, gtins, formState({ format: 'xlsx' }), active));
    try {
      const format = values.format === 'csv' ? 'csv' : 'xlsx';
      const result = await this.fsma.records(ctx.actor, { gtin: values.gtin, from: values.fromDate, to: values.toDate });
      const name = `fsma204-${result.gtin}-${result.from}-${result.to}.${format}`;
      const body = format === 'csv' ? this.fsma.csv(result.rows)
        : this.fsma.xlsx(result.rows, `FSMA 204 records, GTIN ${result.gtin}, ${result.from} to ${result.to}`);
      return reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('cache-control', 'no-store').header('Content-Disposition', `attachment; filename="${name}"`).send(body);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const problems = formProblems(error as DomainError, FSMA_FIELDS, { from: 'fromDate', to: 'toDate' });
      return html(reply, fsmaPage(ctx, action, gtins, formState(values, problems), active), 422);
    }
  }
}
