import { Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { Public } from '../auth';
import { CreateMarkDto, MarksService } from '../marks';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import { SitesService } from '../sites';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, newKey, optional } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, fields, formBody, html } from './console-http';
import { ConsoleSubmissionsService, submitOnce } from './console-submissions.service';
import { formState, FormState } from './views/layout';
import { ownMarksPage } from './views/mark-pages';

const NAMES = ['scheme', 'number', 'enterpriseCode', 'certifier', 'validFrom', 'validTo', 'yearlyQuota.value', 'yearlyQuota.unit'];

/**
 * Producer workspace 认证标志: the organisation's quality-mark certificates (绿色食品, 有机产品,
 * 有机转换) and brand licences, and the form its org_admin records a certificate with. The work is
 * MarksService's (the same rules as POST /api/v1/marks: only the holder's org_admin records).
 */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app/mark-records')
export class CooperativeMarksController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly submissions: ConsoleSubmissionsService,
    private readonly marks: MarksService,
    private readonly organizations: OrganizationsService,
    private readonly products: ProductsService,
    private readonly sites: SitesService,
  ) {}

  @Get()
  async list(@Req() request: FastifyRequest, @Query('created') created: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const today = chinaDate();
    return html(reply, await this.view(ctx, formState({ validFrom: today, 'yearlyQuota.unit': 't' }), newKey(), created ? '证书已登记' : undefined));
  }

  @Post()
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values: Record<string, string | string[]> = Object.fromEntries(NAMES.map((n) => [n, field(body, n)]));
    values.productIds = fields(body, 'productIds');
    values.siteIds = fields(body, 'siteIds');
    const text = (n: string) => values[n] as string;
    return submitOnce(this.submissions, ctx.user.id, body, reply, async () => {
      const org = await this.organizations.get(ctx.actor, ctx.organization.id);
      const aliases: Record<string, string> = { productNames: 'productIds', categoryPaths: 'productIds', yearlyQuota: 'yearlyQuota.value', holderUscc: 'number' };
      for (let i = 0; i < 200; i++) Object.assign(aliases, { [`productIds[${i}]`]: 'productIds', [`siteIds[${i}]`]: 'siteIds' });
      const quota = text('yearlyQuota.value');
      const outcome = await attempt(CreateMarkDto, {
        scheme: text('scheme'), number: text('number'), holderUscc: org.uscc ?? '', holderName: org.name,
        enterpriseCode: optional(text('enterpriseCode')), certifier: optional(text('certifier')),
        productIds: values.productIds.length ? values.productIds : undefined, siteIds: values.siteIds.length ? values.siteIds : undefined,
        validFrom: text('validFrom'), validTo: optional(text('validTo')),
        yearlyQuota: quota ? { value: quota, unit: text('yearlyQuota.unit') } : undefined,
      }, [...NAMES, 'productIds', 'siteIds'], (dto) => this.marks.create(ctx.actor, dto), aliases);
      if (outcome.ok) return { path: `/app/mark-records?created=${outcome.result.id}` };
      return { page: await this.view(ctx, formState(values, outcome.problems), field(body, '_key')), code: outcome.code };
    });
  }

  private async view(ctx: ConsoleContext, state: FormState, key: string, notice?: string): Promise<string> {
    const org = await this.organizations.get(ctx.actor, ctx.organization.id);
    const [marks, products, sites] = await Promise.all([
      this.marks.usableBy({ id: org.id, uscc: org.uscc ?? null }),
      this.products.list(ctx.actor, 100),
      this.sites.list(ctx.actor, 100),
    ]);
    const hasUscc = Boolean(org.uscc);
    return ownMarksPage(ctx, {
      marks, organizationId: org.id, hasUscc, mayRecord: hasUscc && ctx.user.role === 'org_admin',
      products: products.items.map((p) => ({ id: p.id, name: p.name })), sites: sites.items.map((s) => ({ id: s.id, name: s.name })),
    }, state, key, notice);
  }
}
