import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../../libs/errors';
import { Public } from '../auth';
import { CategoriesService } from '../categories';
import { CreateProductDto, ProductsService } from '../products';
import { CreateSiteDto, SitesService } from '../sites';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, decimalOrText, newKey, optional } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, formBody, html, redirect } from './console-http';
import { regionCodeFromText, regionText, SICHUAN_COUNTIES } from './console-regions';
import { ConsoleSubmissionsService, submitOnce } from './console-submissions.service';
import { formState } from './views/layout';
import { editProductPage, editSitePage, productsPage, sitesPage } from './views/catalog-pages';

/** Cooperative workspace: its products and production sites. Every action goes through the same services (and rules) as the API. */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app')
export class CooperativeCatalogController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly submissions: ConsoleSubmissionsService,
    private readonly products: ProductsService,
    private readonly sites: SitesService,
    private readonly categories: CategoriesService,
  ) {}

  @Get('products')
  async productList(@Req() request: FastifyRequest, @Query('created') created: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, await this.productsView(ctx, formState({}), newKey(), created ? '产品已保存' : undefined));
  }

  @Post('products')
  async createProduct(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const names = ['name', 'category', 'gtin', 'spec', 'standard'];
    const values = Object.fromEntries(names.map((n) => [n, field(body, n)]));
    return submitOnce(this.submissions, ctx.user.id, body, reply, async () => {
      const outcome = await attempt(CreateProductDto, {
        name: values.name, category: values.category, gtin: optional(values.gtin), spec: optional(values.spec), standard: optional(values.standard),
      }, names, (dto) => this.products.create(ctx.actor, dto));
      if (outcome.ok) return { path: `/app/products?created=${outcome.result.id}` };
      return { page: await this.productsView(ctx, formState(values, outcome.problems), field(body, '_key')), code: outcome.code };
    });
  }

  @Get('products/:id/edit')
  async editProduct(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const product = await this.products.get(ctx.actor, id);
    const categories = await this.categories.list();
    return html(reply, editProductPage(ctx, product.id, categories.map((c) => c.path), formState({
      name: product.name, category: product.category, gtin: product.gtin ?? '', spec: product.spec ?? '', standard: product.standard ?? '',
    })));
  }

  @Post('products/:id')
  async updateProduct(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const names = ['name', 'category', 'gtin', 'spec', 'standard'];
    const values = Object.fromEntries(names.map((n) => [n, field(body, n)]));
    const outcome = await attempt(CreateProductDto, {
      name: values.name, category: values.category, gtin: optional(values.gtin), spec: optional(values.spec), standard: optional(values.standard),
    }, names, (dto) => this.products.update(ctx.actor, id, dto));
    if (outcome.ok) return redirect(reply, `/app/products?created=${outcome.result.id}`);
    const categories = await this.categories.list();
    return html(reply, editProductPage(ctx, id, categories.map((c) => c.path), formState(values, outcome.problems)), 422);
  }

  private async productsView(ctx: ConsoleContext, state: ReturnType<typeof formState>, key: string, notice?: string): Promise<string> {
    const [list, categories] = await Promise.all([this.products.list(ctx.actor, 100), this.categories.list()]);
    return productsPage(ctx, list.items, categories.map((c) => c.path), state, key, notice);
  }

  @Get('sites')
  async siteList(@Req() request: FastifyRequest, @Query('created') created: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const list = await this.sites.list(ctx.actor, 100);
    return html(reply, sitesPage(ctx, list.items, SICHUAN_COUNTIES, formState({}), newKey(), created ? '基地已保存' : undefined));
  }

  @Post('sites')
  async createSite(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const names = ['name', 'regionCode', 'address', 'location.lat', 'location.lng'];
    const values = Object.fromEntries(names.map((n) => [n, field(body, n)]));
    return submitOnce(this.submissions, ctx.user.id, body, reply, async () => {
      const hasLocation = values['location.lat'] !== '' || values['location.lng'] !== '';
      const outcome = await attempt(CreateSiteDto, {
        name: values.name, regionCode: regionCodeFromText(values.regionCode), address: optional(values.address),
        location: hasLocation ? { lat: decimalOrText(values['location.lat']), lng: decimalOrText(values['location.lng']) } : undefined,
      }, names, (dto) => this.sites.create(ctx.actor, dto));
      if (outcome.ok) return { path: `/app/sites?created=${outcome.result.id}` };
      const list = await this.sites.list(ctx.actor, 100);
      return { page: sitesPage(ctx, list.items, SICHUAN_COUNTIES, formState(values, outcome.problems), field(body, '_key')), code: outcome.code };
    });
  }

  @Get('sites/:id/edit')
  async editSite(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const site = await this.sites.get(ctx.actor, id);
    if (site.organizationId !== ctx.organization.id) throw new DomainError('NOT_FOUND', 'Site not found');
    return html(reply, editSitePage(ctx, site.id, formState({
      name: site.name, regionCode: regionText(site.regionCode), address: site.address ?? '',
      'location.lat': site.location ? String(site.location.lat) : '', 'location.lng': site.location ? String(site.location.lng) : '',
    })));
  }

  @Post('sites/:id')
  async updateSite(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const names = ['name', 'regionCode', 'address', 'location.lat', 'location.lng'];
    const values = Object.fromEntries(names.map((n) => [n, field(body, n)]));
    const hasLocation = values['location.lat'] !== '' || values['location.lng'] !== '';
    const outcome = await attempt(CreateSiteDto, {
      name: values.name, regionCode: regionCodeFromText(values.regionCode), address: optional(values.address),
      location: hasLocation ? { lat: decimalOrText(values['location.lat']), lng: decimalOrText(values['location.lng']) } : undefined,
    }, names, (dto) => this.sites.update(ctx.actor, id, dto));
    if (outcome.ok) return redirect(reply, `/app/sites?created=${outcome.result.id}`);
    return html(reply, editSitePage(ctx, id, formState(values, outcome.problems)), 422);
  }
}
