import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth';
import { BatchesService } from '../batches';
import { CreateListingDto, LISTING_PLATFORMS, ListingSessionDto, ListingsService, PLATFORM_NAMES, ShipBatchesDto } from '../listings';
import { ProductsService } from '../products';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, chinaInstant, newKey } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, fields, formBody, html, redirect } from './console-http';
import { ConsoleSubmissionsService, submitOnce } from './console-submissions.service';
import { formState } from './views/layout';
import { listingPage, listingsPage } from './views/listing-pages';

const PLATFORMS: [string, string][] = LISTING_PLATFORMS.map((p) => [p, PLATFORM_NAMES[p]]);

/** Cooperative workspace: online listings (平台销售 · 直播带货) — register one, roll its batches, add live-stream sessions. */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app')
export class CooperativeListingsController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly submissions: ConsoleSubmissionsService,
    private readonly listings: ListingsService,
    private readonly products: ProductsService,
    private readonly batches: BatchesService,
  ) {}

  @Get('listings')
  async list(@Req() request: FastifyRequest, @Query('created') created: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, await this.listView(ctx, formState({ platform: 'douyin' }), newKey(), created ? '已登记' : undefined));
  }

  @Post('listings')
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values = { platform: field(body, 'platform'), platformRef: field(body, 'platformRef'), productId: field(body, 'productId'), batchIds: fields(body, 'batchIds') };
    const key = field(body, '_key');
    return submitOnce(this.submissions, ctx.user.id, body, reply, async () => {
      const outcome = await attempt(CreateListingDto, values, ['platform', 'platformRef', 'productId', 'batchIds'],
        (dto) => this.listings.create(ctx.actor, dto, key || undefined));
      if (outcome.ok) return { path: `/app/listings/${outcome.result.view.id}?created=1` };
      return { page: await this.listView(ctx, formState(values, outcome.problems), key), code: outcome.code };
    });
  }

  @Get('listings/:id')
  async listing(@Req() request: FastifyRequest, @Param('id') id: string, @Query('done') done: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const listing = await this.listings.get(ctx.actor, id);
    const notice = done === 'batches' ? '发货批次已更换' : done === 'session' ? '直播场次已登记' : done ? '已登记' : undefined;
    return html(reply, await this.detailView(ctx, listing.id, formState({ batchIds: listing.batches.map((b) => b.batchId) }), formState({}), notice));
  }

  @Post('listings/:id/batches')
  async ship(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const values = { batchIds: fields(formBody(request), 'batchIds') };
    const outcome = await attempt(ShipBatchesDto, values, ['batchIds'], (dto) => this.listings.shipBatches(ctx.actor, id, dto));
    if (outcome.ok) return redirect(reply, `/app/listings/${outcome.result.id}?done=batches`);
    return html(reply, await this.detailView(ctx, id, formState(values, outcome.problems), formState({})), 422);
  }

  @Post('listings/:id/sessions')
  async session(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values = { host: field(body, 'host'), startsAt: field(body, 'startsAt'), endsAt: field(body, 'endsAt'), sessionBatchIds: fields(body, 'sessionBatchIds') };
    const outcome = await attempt(ListingSessionDto, {
      host: values.host, startsAt: chinaInstant(values.startsAt), endsAt: chinaInstant(values.endsAt), batchIds: values.sessionBatchIds,
    }, ['host', 'startsAt', 'endsAt', 'sessionBatchIds'], (dto) => this.listings.addLiveSession(ctx.actor, id, dto), { batchIds: 'sessionBatchIds' });
    if (outcome.ok) return redirect(reply, `/app/listings/${outcome.result.id}?done=session`);
    return html(reply, await this.detailView(ctx, id, formState({}), formState(values, outcome.problems)), 422);
  }

  private async listView(ctx: ConsoleContext, state: ReturnType<typeof formState>, key: string, notice?: string): Promise<string> {
    const [listings, products, batches] = await Promise.all([
      this.listings.list(ctx.actor, { limit: 100 }), this.products.list(ctx.actor, 100), this.batches.list(ctx.actor, 100),
    ]);
    return listingsPage(ctx, { listings: listings.items, products: products.items, batches: batches.items, platforms: PLATFORMS }, state, key, notice);
  }

  private async detailView(ctx: ConsoleContext, id: string, ship: ReturnType<typeof formState>, session: ReturnType<typeof formState>, notice?: string): Promise<string> {
    const [listing, batches] = await Promise.all([this.listings.get(ctx.actor, id), this.batches.list(ctx.actor, 100)]);
    return listingPage(ctx, listing, batches.items, ship, session, notice);
  }
}
