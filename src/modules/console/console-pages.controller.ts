import { Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { DomainError } from '../../../libs/errors';
import { qrSvg } from '../../../libs/labels';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Public } from '../auth';
import { BatchesService, BatchView, CreateBatchDto } from '../batches';
import { CategoriesService } from '../categories';
import { CertificateCollectionsService, CertificateDocuments, CertificatesService, CollectCertificateDto, CertificatePdfQueryDto, IssueCertificateDto, VoidCertificateDto } from '../certificates';
import type { CertificateLayout } from '../../../libs/labels';
import { CreatePrintRunDto, LabelsService } from '../labels';
import { CreateProductDto, ProductsService } from '../products';
import { CreateSiteDto, SitesService } from '../sites';
import { TestRecordsService } from '../test-records';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, optional, toDto } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, fields, FormBody, formBody, html, redirect } from './console-http';
import { ConsoleSubmissionsService } from './console-submissions.service';
import { SICHUAN_COUNTIES } from './console-regions';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { EMPTY_FORM, formState } from './views/layout';
import {
  batchesPage, batchPage, certificatePage, certificatesPage, collectPage, editProductPage, editSitePage, homePage, issuePage, LABEL_CHOICES, newBatchPage,
  printPage, printRunPage, productsPage, sitesPage,
} from './views/pages';

function newKey(): string {
  return randomBytes(18).toString('base64url');
}

function decimalOrText(v: string): unknown {
  return v === '' ? undefined : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

const PURCHASER_KINDS = ['purchaser', 'market'];

/** The console's pages. Every action goes through the same services (and rules) as the API. */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app')
export class ConsolePagesController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly submissions: ConsoleSubmissionsService,
    private readonly products: ProductsService,
    private readonly sites: SitesService,
    private readonly categories: CategoriesService,
    private readonly batches: BatchesService,
    private readonly labels: LabelsService,
    private readonly certificates: CertificatesService,
    private readonly documents: CertificateDocuments,
    private readonly collections: CertificateCollectionsService,
    private readonly testRecords: TestRecordsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---------- home ----------

  @Get()
  async home(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    // A regulator's console is the dashboard of its jurisdiction (the home page is a producer's day).
    if (ctx.user.role === 'regulator') return redirect(reply, '/app/dashboard');
    const today = chinaDate(new Date());
    const [batchPage1, certPage] = await Promise.all([
      this.batches.list(ctx.actor, 100),
      this.certificates.list(ctx.actor, { limit: 50 }),
    ]);
    const recent = batchPage1.items;
    const tests = await Promise.all(recent.slice(0, 10).map(async (batch) =>
      (await this.testRecords.listForBatch(ctx.actor, batch.id)).items.filter((t) => t.verdict === 'fail').map((test) => ({ batch, test }))));
    return html(reply, homePage(ctx, {
      today,
      batches: recent.filter((b) => chinaDate(new Date(b.createdAt)) === today),
      certificates: certPage.items.filter((c) => c.issuedOn === today),
      held: recent.filter((b) => b.status === 'on_hold'),
      recalled: recent.filter((b) => b.status === 'recalled'),
      failedTests: tests.flat(),
    }));
  }

  // ---------- products ----------

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
    return this.once(ctx, body, reply, async () => {
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

  // ---------- sites ----------

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
    return this.once(ctx, body, reply, async () => {
      const hasLocation = values['location.lat'] !== '' || values['location.lng'] !== '';
      const outcome = await attempt(CreateSiteDto, {
        name: values.name, regionCode: values.regionCode, address: optional(values.address),
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
      name: site.name, regionCode: site.regionCode, address: site.address ?? '',
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
      name: values.name, regionCode: values.regionCode, address: optional(values.address),
      location: hasLocation ? { lat: decimalOrText(values['location.lat']), lng: decimalOrText(values['location.lng']) } : undefined,
    }, names, (dto) => this.sites.update(ctx.actor, id, dto));
    if (outcome.ok) return redirect(reply, `/app/sites?created=${outcome.result.id}`);
    return html(reply, editSitePage(ctx, id, formState(values, outcome.problems)), 422);
  }

  // ---------- batches ----------

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
    const names = ['productId', 'siteId', 'quantity.value', 'quantity.unit', 'producedOn', 'lotCode'];
    const values = Object.fromEntries(names.map((n) => [n, field(body, n)]));
    const key = field(body, '_key');
    const outcome = await attempt(CreateBatchDto, {
      productId: values.productId, siteId: values.siteId, lotCode: optional(values.lotCode),
      quantity: { value: values['quantity.value'] || undefined, unit: values['quantity.unit'] }, producedOn: values.producedOn,
    }, names, (dto) => this.batches.create(ctx.actor, dto, key || undefined), { quantity: 'quantity.value' });
    if (outcome.ok) return redirect(reply, `/app/batches/${outcome.result.view.id}?created=1`);
    return html(reply, await this.newBatchView(ctx, formState(values, outcome.problems), key || newKey()), 422);
  }

  private async newBatchView(ctx: ConsoleContext, state: ReturnType<typeof formState>, key: string): Promise<string> {
    const [products, sites] = await Promise.all([this.products.list(ctx.actor, 100), this.sites.list(ctx.actor, 100)]);
    return newBatchPage(ctx, products.items, sites.items, state, key);
  }

  @Get('batches/:id')
  async batch(@Req() request: FastifyRequest, @Param('id') id: string, @Query('created') created: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const batch = await this.batches.get(ctx.actor, id);
    const [runs, certs, tests] = await Promise.all([
      this.labels.listPrintRuns(ctx.actor, batch.id),
      this.certificates.list(ctx.actor, { batchId: batch.id, limit: 100 }),
      this.testRecords.listForBatch(ctx.actor, batch.id),
    ]);
    return html(reply, batchPage(ctx, { batch, qrSvg: qrSvg(batch.qrContent), runs: runs.items, certificates: certs.items, tests: tests.items },
      created ? '批次已创建' : undefined));
  }

  // ---------- labels ----------

  @Get('batches/:id/print')
  async printForm(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const batch = await this.batches.get(ctx.actor, id);
    return html(reply, printPage(ctx, batch, formState({ count: '40', choice: 'pdf:a4-40' }), newKey()));
  }

  @Post('batches/:id/print-runs')
  async print(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values = { count: field(body, 'count'), choice: field(body, 'choice') };
    const choice = LABEL_CHOICES.find((c) => c.id === values.choice) ?? LABEL_CHOICES[0];
    const key = field(body, '_key');
    const batch = await this.batches.get(ctx.actor, id);
    const count = /^\d{1,9}$/.test(values.count) ? Number(values.count) : values.count;
    const outcome = await attempt(CreatePrintRunDto, { count }, ['count', 'choice'],
      (dto) => this.labels.createPrintRun(ctx.actor, batch.id, dto.count, key || undefined));
    if (outcome.ok) return redirect(reply, `/app/print-runs/${outcome.result.view.id}?choice=${encodeURIComponent(choice.id)}`);
    if (!outcome.problems.fields.count && outcome.problems.general && outcome.code !== 'BATCH_NOT_ACTIVE') outcome.problems.fields.count = outcome.problems.general;
    return html(reply, printPage(ctx, batch, formState(values, outcome.problems), key || newKey()), 422);
  }

  @Get('print-runs/:id')
  async printRun(@Req() request: FastifyRequest, @Param('id') id: string, @Query('choice') choiceId: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const run = await this.labels.getPrintRun(ctx.actor, id);
    const batch = await this.batches.get(ctx.actor, run.batchId);
    const choice = LABEL_CHOICES.find((c) => c.id === choiceId) ?? LABEL_CHOICES[0];
    const sync = run.count <= this.config.labelSyncMax;
    let render = run.renders.find((r) => r.format === choice.format && r.layout === choice.layout) ?? null;
    if (!sync && (!render || render.status === 'failed')) {
      // Ask for the file: a large run starts rendering as a job and the page shows its progress.
      // Opening the page asks again for a failed render (the page said 生成失败，请重试).
      const result = await this.labels.labels(ctx.actor, run.id, choice.format, choice.layout, { retryFailed: true });
      if (result.kind === 'pending') render = result.render;
      else {
        destroy(result.body);
        render = { format: choice.format, layout: choice.layout, status: 'done', progress: 100, bytes: null, error: null, downloadUrl: '' };
      }
    }
    return html(reply, printRunPage(ctx, batch, run, choice, render, sync));
  }

  @Get('print-runs/:id/progress')
  async progress(@Req() request: FastifyRequest, @Param('id') id: string, @Query('format') format: string, @Query('layout') layout: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const run = await this.labels.getPrintRun(ctx.actor, id);
    const render = run.renders.find((r) => r.format === format && r.layout === layout);
    return reply.header('cache-control', 'no-store').send(render ? { status: render.status, progress: render.progress } : { status: 'pending', progress: 0 });
  }

  @Get('print-runs/:id/labels.:format')
  async download(@Req() request: FastifyRequest, @Param('id') id: string, @Param('format') format: string, @Query('layout') layout: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const choice = LABEL_CHOICES.find((c) => c.format === format && c.layout === (layout ?? (format === 'pdf' ? 'a4-40' : 'roll-60x40')));
    if (!choice) return redirect(reply, `/app/print-runs/${encodeURIComponent(id)}`);
    const result = await this.labels.labels(ctx.actor, id, choice.format, choice.layout, { retryFailed: true });
    if (result.kind === 'pending') return redirect(reply, `/app/print-runs/${encodeURIComponent(id)}?choice=${encodeURIComponent(choice.id)}`);
    return reply.type(result.contentType).header('content-disposition', `attachment; filename="${result.filename}"`)
      .header('cache-control', 'private, no-store').send(result.body);
  }

  // ---------- certificates ----------

  @Get('certificates')
  async certificateList(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, certificatesPage(ctx, (await this.certificates.list(ctx.actor, { limit: 100 })).items));
  }

  @Get('batches/:id/certificate')
  async issueForm(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const batch = await this.batches.get(ctx.actor, id);
    return html(reply, await this.issueView(ctx, batch, formState({ basis: ['quality_control'], 'quantity.unit': batch.quantity.unit }), newKey()));
  }

  @Post('certificates')
  async issue(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const batch = await this.batches.get(ctx.actor, field(body, 'batchId'));
    const key = field(body, '_key');
    const names = ['basis', 'evidence.qualityControl', 'evidence.testRecordIds', 'evidence.inputsUsed', 'upstreamCollectionIds',
      'quantity.value', 'quantity.unit', 'signedBy', 'contact'];
    const values: FormBody = {
      basis: fields(body, 'basis'), 'evidence.testRecordIds': fields(body, 'evidence.testRecordIds'),
      upstreamCollectionIds: fields(body, 'upstreamCollectionIds'),
      ...Object.fromEntries(['evidence.qualityControl', 'evidence.inputsUsed', 'quantity.value', 'quantity.unit', 'signedBy', 'contact'].map((n) => [n, field(body, n)])),
    };
    const purchaser = PURCHASER_KINDS.includes(ctx.organization.kind);
    const text = (n: string) => values[n] as string;
    const inputsUsed = text('evidence.inputsUsed').split(/[,，、;；\s]+/).filter(Boolean);
    const plain = purchaser
      ? { batchId: batch.id, upstreamCollectionIds: values.upstreamCollectionIds }
      : {
        batchId: batch.id, basis: values.basis,
        evidence: {
          qualityControl: optional(text('evidence.qualityControl')),
          testRecordIds: (values['evidence.testRecordIds'] as string[]).length ? values['evidence.testRecordIds'] : undefined,
          inputsUsed: inputsUsed.length ? inputsUsed : undefined,
        },
      };
    const outcome = await attempt(IssueCertificateDto, {
      ...plain,
      quantity: text('quantity.value') ? { value: text('quantity.value'), unit: text('quantity.unit') } : undefined,
      signedBy: optional(text('signedBy')), contact: optional(text('contact')),
    }, names, (dto) => this.certificates.issue(ctx.actor, dto, key || undefined), { quantity: 'quantity.value' });
    if (outcome.ok) return redirect(reply, `/app/certificates/${outcome.result.view.id}?issued=1`);
    return html(reply, await this.issueView(ctx, batch, formState(values, outcome.problems), key || newKey()), 422);
  }

  private async issueView(ctx: ConsoleContext, batch: BatchView, state: ReturnType<typeof formState>, key: string): Promise<string> {
    const purchaser = PURCHASER_KINDS.includes(ctx.organization.kind);
    const [tests, collections] = await Promise.all([
      this.testRecords.listForBatch(ctx.actor, batch.id),
      purchaser ? this.collections.list(ctx.actor, { limit: 100, outcome: 'accepted' }) : Promise.resolve({ items: [] }),
    ]);
    return issuePage(ctx, batch, purchaser, tests.items, collections.items, state, key);
  }

  @Get('certificates/:id')
  async certificate(@Req() request: FastifyRequest, @Param('id') id: string, @Query('issued') issued: string | undefined,
    @Query('voided') voided: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const cert = await this.certificates.get(ctx.actor, id);
    return html(reply, certificatePage(ctx, cert, EMPTY_FORM, issued ? '合格证已开具' : voided ? '合格证已作废' : undefined));
  }

  @Post('certificates/:id/void')
  async voidCertificate(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values = { reason: field(body, 'reason') };
    const outcome = await attempt(VoidCertificateDto, { reason: values.reason }, ['reason'],
      (dto) => this.certificates.void(ctx.actor, id, dto.reason));
    if (outcome.ok || outcome.code === 'CERTIFICATE_ALREADY_VOIDED') return redirect(reply, `/app/certificates/${encodeURIComponent(id)}?voided=1`);
    const cert = await this.certificates.get(ctx.actor, id);
    return html(reply, certificatePage(ctx, cert, formState(values, outcome.problems)), 422);
  }

  @Get('certificates/:id/certificate.pdf')
  async certificatePdf(@Req() request: FastifyRequest, @Param('id') id: string, @Query('layout') layout: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const query = await toDto(CertificatePdfQueryDto, { layout: layout || undefined });
    const pdf = await this.documents.pdf(ctx.actor, id, (query.layout ?? 'label-60x80') as CertificateLayout);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="certificate-${query.layout ?? 'label-60x80'}.pdf"`)
      .header('cache-control', 'private, no-store').send(pdf);
  }

  // ---------- purchasers: collect (查验) ----------

  @Get('collect')
  async collectForm(@Req() request: FastifyRequest, @Query('created') created: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, await this.collectView(ctx, formState({ 'quantity.unit': 'kg', 'certificateQuantity.unit': 'kg' }), newKey(), created ? '查验通过，已记录' : undefined));
  }

  @Post('collect')
  async collect(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const names = ['certificate', 'certificateQuantity.value', 'certificateQuantity.unit', 'productId', 'quantity.value', 'quantity.unit', 'supplierName'];
    const values = Object.fromEntries(names.map((n) => [n, field(body, n)]));
    const quantityOf = (prefix: string) => values[`${prefix}.value`] ? { value: values[`${prefix}.value`], unit: values[`${prefix}.unit`] } : undefined;
    return this.once(ctx, body, reply, async () => {
      const outcome = await attempt(CollectCertificateDto, {
        certificate: values.certificate, certificateQuantity: quantityOf('certificateQuantity'), productId: values.productId,
        quantity: quantityOf('quantity'), supplierName: optional(values.supplierName),
      }, names, (dto) => this.collections.collect(ctx.actor, dto), { quantity: 'quantity.value', certificateQuantity: 'certificateQuantity.value' });
      if (outcome.ok) return { path: `/app/collect?created=${outcome.result.id}` };
      return { page: await this.collectView(ctx, formState(values, outcome.problems), field(body, '_key')), code: outcome.code };
    });
  }

  private async collectView(ctx: ConsoleContext, state: ReturnType<typeof formState>, key: string, notice?: string): Promise<string> {
    const [products, collections] = await Promise.all([this.products.list(ctx.actor, 100), this.collections.list(ctx.actor, { limit: 30 })]);
    return collectPage(ctx, products.items, collections.items, state, key, notice);
  }

  /**
   * Runs a create once per rendered form: a second submit with the same key goes where the first
   * went. A refused submit frees the key and shows the form again, as typed, with the problems.
   */
  private async once(ctx: ConsoleContext, body: FormBody, reply: FastifyReply,
    work: () => Promise<{ path: string } | { page: string; code: string }>) {
    const key = field(body, '_key');
    const claim = await this.submissions.claim(ctx.user.id, key);
    if (!claim.first) return redirect(reply, claim.resultPath ?? '/app');
    try {
      const result = await work();
      if ('path' in result) {
        await this.submissions.done(ctx.user.id, key, result.path);
        return redirect(reply, result.path);
      }
      await this.submissions.release(ctx.user.id, key);
      return html(reply, result.page, 422);
    } catch (error) {
      await this.submissions.release(ctx.user.id, key);
      throw error;
    }
  }
}

function destroy(body: Buffer | NodeJS.ReadableStream): void {
  if (!Buffer.isBuffer(body) && 'destroy' in body && typeof body.destroy === 'function') (body.destroy as () => void)();
}
