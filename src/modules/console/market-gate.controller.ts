import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { DomainError, isDomainError } from '../../../libs/errors';
import { Public } from '../auth';
import { CategoriesService } from '../categories';
import { CreateEntryDto, CreateSellerDto, CreateStallDto, MarketEntriesService, MarketSellersService, SellerView } from '../markets';
import { traceCodeIn } from '../markets/domain';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, newKey, optional } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, formBody, html, redirect } from './console-http';
import { ConsoleSubmissionsService, submitOnce } from './console-submissions.service';
import { formState } from './views/layout';
import { DISPOSALS, gatePage, sellerPage, sellersPage } from './views/market-pages';

const GATE_FIELDS = [
  'sellerId', 'vehiclePlate', 'category', 'productName', 'quantity.value', 'quantity.unit', 'rapidTest.result', 'rapidTest.analyte',
  'proof', 'certificateQuantity.value', 'certificateQuantity.unit', 'otherProof.kind', 'otherProof.reference',
];
const SELLER_FIELDS = [
  'name', 'kind', 'uscc', 'idNumber', 'contact.name', 'contact.phone', 'address', 'products', 'supplyChannels', 'origins', 'originRegionCode', 'vehiclePlates',
];
const DEFAULT_ANALYTE = '有机磷和氨基甲酸酯类农药';

/**
 * The API names a lot's fields `items[0].x` (services) or `items.0.x` (validation); the gate form
 * shows one lot, so both land on the form's own field.
 */
function itemAliases(): Record<string, string> {
  const out: Record<string, string> = { items: 'proof', 'items[0]': 'proof', 'items.0': 'proof' };
  const own: Record<string, string> = {
    traceCode: 'proof', certificate: 'proof', category: 'category', productName: 'productName', quantity: 'quantity.value',
    'quantity.value': 'quantity.value', 'quantity.unit': 'quantity.unit', certificateQuantity: 'certificateQuantity.value',
    'certificateQuantity.value': 'certificateQuantity.value', 'certificateQuantity.unit': 'certificateQuantity.unit', otherProof: 'otherProof.reference',
    'otherProof.kind': 'otherProof.kind', 'otherProof.reference': 'otherProof.reference', rapidTest: 'rapidTest.analyte',
    'rapidTest.analyte': 'rapidTest.analyte', 'rapidTest.result': 'rapidTest.result',
  };
  for (const [api, form] of Object.entries(own)) {
    out[`items[0].${api}`] = form;
    out[`items.0.${api}`] = form;
  }
  return out;
}
const ITEM_ALIASES = itemAliases();

/** A list typed in one box: 猕猴桃，柑橘 / 猕猴桃、柑橘 / 猕猴桃, 柑橘. */
function list(v: string): string[] | undefined {
  const items = v.split(/[,，、;；\n]/).map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

/** Market workspace: the gate (入场查验) on a phone, seller files and stalls. The services refuse anyone but a market. */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app')
export class MarketGateController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly submissions: ConsoleSubmissionsService,
    private readonly sellers: MarketSellersService,
    private readonly entries: MarketEntriesService,
    private readonly categories: CategoriesService,
  ) {}

  @Get('gate')
  async gateForm(@Req() request: FastifyRequest, @Query() query: Record<string, string | undefined>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const verdict = query.entry ? await this.entries.get(ctx.actor, query.entry) : null;
    const seller = await this.chosenSeller(ctx, query.seller ?? verdict?.sellerId ?? undefined);
    // The next lot of the same seller keeps what usually stays the same: plate, category, unit and test.
    const last = verdict?.items[0];
    return html(reply, await this.gateView(ctx, seller, String(query.q ?? ''), verdict, formState({
      vehiclePlate: verdict?.vehiclePlate ?? seller?.vehiclePlates[0] ?? '', category: last?.category ?? '', 'quantity.unit': last?.quantity.unit ?? 'kg',
      'certificateQuantity.unit': 'kg', 'rapidTest.result': '', 'rapidTest.analyte': last?.rapidTest?.analyte ?? DEFAULT_ANALYTE,
    }), newKey()));
  }

  @Post('gate')
  async check(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values = Object.fromEntries(GATE_FIELDS.map((n) => [n, field(body, n)]));
    const seller = await this.chosenSeller(ctx, values.sellerId || undefined);
    return submitOnce(this.submissions, ctx.user.id, body, reply, async () => {
      const proof = values.proof;
      const code = proof ? traceCodeIn(proof) : null;
      const quantityOf = (prefix: string) => values[`${prefix}.value`] ? { value: values[`${prefix}.value`], unit: values[`${prefix}.unit`] } : undefined;
      const result = values['rapidTest.result'];
      const item = {
        ...(proof ? (code ? { traceCode: proof } : { certificate: proof, certificateQuantity: quantityOf('certificateQuantity') }) : {}),
        ...(!proof && values['otherProof.kind'] ? { otherProof: { kind: values['otherProof.kind'], reference: values['otherProof.reference'] } } : {}),
        category: values.category, productName: optional(values.productName), quantity: quantityOf('quantity') ?? { value: undefined, unit: values['quantity.unit'] },
        ...(result ? { rapidTest: { analyte: values['rapidTest.analyte'] || DEFAULT_ANALYTE, result } } : {}),
      };
      const outcome = await attempt(CreateEntryDto, { sellerId: values.sellerId, vehiclePlate: optional(values.vehiclePlate), items: [item] },
        GATE_FIELDS, (dto) => this.entries.create(ctx.actor, dto, undefined), ITEM_ALIASES);
      // Accepted or refused, the entry is recorded: the verdict page shows which, big.
      if (outcome.ok) return { path: `/app/gate?entry=${outcome.result.view.id}` };
      return { page: await this.gateView(ctx, seller, '', null, formState(values, outcome.problems), field(body, '_key')), code: outcome.code };
    });
  }

  @Post('gate/entries/:id/items/:itemId/disposal')
  async dispose(@Req() request: FastifyRequest, @Param('id') id: string, @Param('itemId') itemId: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const method = field(formBody(request), 'method');
    if (!DISPOSALS.some(([v]) => v === method)) throw new DomainError('VALIDATION_FAILED', 'method: choose one from the list', { field: 'method', rule: 'isIn' });
    await this.entries.dispose(ctx.actor, id, itemId, { method });
    return redirect(reply, `/app/gate?entry=${id}`);
  }

  @Get('sellers')
  async sellerList(@Req() request: FastifyRequest, @Query('q') q: string | undefined, @Query('created') created: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, await this.sellersView(ctx, String(q ?? ''), formState({ kind: 'business' }), formState({}),
      created ? (created === 'stall' ? '摊位已登记' : '销售者已建档') : undefined));
  }

  @Post('sellers')
  async createSeller(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values = Object.fromEntries(SELLER_FIELDS.map((n) => [n, field(body, n)]));
    return submitOnce(this.submissions, ctx.user.id, body, reply, async () => {
      const contact = values['contact.name'] || values['contact.phone'] ? { name: optional(values['contact.name']), phone: optional(values['contact.phone']) } : undefined;
      const outcome = await attempt(CreateSellerDto, {
        name: values.name, kind: values.kind, uscc: optional(values.uscc), idNumber: optional(values.idNumber), contact, address: optional(values.address),
        products: list(values.products), supplyChannels: list(values.supplyChannels), origins: list(values.origins),
        originRegionCode: optional(values.originRegionCode), vehiclePlates: list(values.vehiclePlates),
      }, SELLER_FIELDS, (dto) => this.sellers.create(ctx.actor, dto), { contact: 'contact.phone' });
      if (outcome.ok) return { path: `/app/sellers/${outcome.result.id}?created=1` };
      values.idNumber = '';
      return { page: await this.sellersView(ctx, '', formState(values, outcome.problems), formState({}), undefined, field(body, '_key')), code: outcome.code };
    });
  }

  @Get('sellers/:id')
  async seller(@Req() request: FastifyRequest, @Param('id') id: string, @Query('created') created: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const seller = await this.sellers.get(ctx.actor, id);
    const recent = await this.entries.list(ctx.actor, { limit: 50 });
    return html(reply, sellerPage(ctx, seller, recent.items.filter((e) => e.sellerId === seller.id), created ? '销售者已建档' : undefined));
  }

  @Post('sellers/:id/stop')
  async stop(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    await this.sellers.stop(ctx.actor, id, {});
    return redirect(reply, `/app/sellers/${id}`);
  }

  @Post('stalls')
  async createStall(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values = { number: field(body, 'number'), sellerId: field(body, 'sellerId') };
    return submitOnce(this.submissions, ctx.user.id, body, reply, async () => {
      const outcome = await attempt(CreateStallDto, { number: values.number, sellerId: optional(values.sellerId) }, ['number', 'sellerId'],
        (dto) => this.sellers.createStall(ctx.actor, dto));
      if (outcome.ok) return { path: '/app/sellers?created=stall' };
      return { page: await this.sellersView(ctx, '', formState({ kind: 'business' }), formState(values, outcome.problems), undefined, undefined, field(body, '_key')), code: outcome.code };
    });
  }

  @Get('stalls/:id/qr.pdf')
  async stallQr(@Req() request: FastifyRequest, @Param('id') id: string, @Query('layout') layout: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const pdf = await this.sellers.stallQr(ctx.actor, id, 'pdf', layout);
    return reply.type('application/pdf').header('Content-Disposition', 'attachment; filename="stall-qr.pdf"').header('cache-control', 'no-store').send(pdf);
  }

  /** The seller the gate works for: this market's, active (another's or an unknown id: none chosen). */
  private async chosenSeller(ctx: ConsoleContext, id: string | undefined): Promise<SellerView | null> {
    if (!id) return null;
    try {
      const seller = await this.sellers.get(ctx.actor, id);
      return seller.marketId === ctx.organization.id && seller.status === 'active' ? seller : null;
    } catch (error) {
      if (isDomainError(error) && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  private async gateView(ctx: ConsoleContext, seller: SellerView | null, q: string, verdict: Awaited<ReturnType<MarketEntriesService['get']>> | null,
    state: ReturnType<typeof formState>, key: string): Promise<string> {
    const [found, today, categories] = await Promise.all([
      seller ? Promise.resolve({ items: [] as SellerView[] }) : this.sellers.list(ctx.actor, { q: q.trim() || undefined, limit: 30 }),
      this.entries.list(ctx.actor, { on: chinaDate(new Date()), limit: 30 }),
      this.categories.list(),
    ]);
    const names = new Map<string, string>();
    const missing = [...new Set(today.items.map((e) => e.sellerId).filter((id): id is string => !!id))];
    for (const id of missing) names.set(id, (await this.sellers.get(ctx.actor, id)).name);
    return gatePage(ctx, {
      sellers: found.items.filter((s) => s.status === 'active'), q, seller, verdict, today: today.items, sellerNames: names,
      categories: categories.map((c) => c.path),
    }, state, key);
  }

  private async sellersView(ctx: ConsoleContext, q: string, sellerState: ReturnType<typeof formState>, stallState: ReturnType<typeof formState>,
    notice?: string, sellerKey?: string, stallKey?: string): Promise<string> {
    const [sellers, stalls] = await Promise.all([this.sellers.list(ctx.actor, { q: q.trim() || undefined, limit: 100 }), this.sellers.listStalls(ctx.actor, { limit: 100 })]);
    return sellersPage(ctx, { sellers: sellers.items, stalls: stalls.items, q }, sellerState, stallState,
      { seller: sellerKey ?? newKey(), stall: stallKey ?? newKey() }, notice);
  }
}
