import { Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth';
import { CertificateCollectionsService, CollectCertificateDto } from '../certificates';
import { ProductsService } from '../products';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, newKey, optional } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, formBody, html } from './console-http';
import { ConsoleSubmissionsService, submitOnce } from './console-submissions.service';
import { formState } from './views/layout';
import { collectPage } from './views/collect-page';

/** Purchaser workspace: 查验收购 — check a supplier's certificate on collection and record it. */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app')
export class PurchaserCollectController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly submissions: ConsoleSubmissionsService,
    private readonly products: ProductsService,
    private readonly collections: CertificateCollectionsService,
  ) {}

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
    return submitOnce(this.submissions, ctx.user.id, body, reply, async () => {
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
}
