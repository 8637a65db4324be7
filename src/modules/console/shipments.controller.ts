import { Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normalizeTraceCodeInput } from '../../../libs/codes';
import { DomainError, isDomainError } from '../../../libs/errors';
import type { Quantity } from '../../../libs/quantity';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Public } from '../auth';
import { BatchesService } from '../batches';
import { CertificateCollectionsService, CertificatesService } from '../certificates';
import { CreateShipmentDto, CreateTransformationDto, ReceiveShipmentDto, ShipmentView, SupplyChainService, TransformationView } from '../events';
import { balanceOf, BalanceSummary } from '../events/domain';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import { SitesService } from '../sites';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, newKey, optional } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, FormBody, formBody, html, redirect } from './console-http';
import { formProblems } from './domain/error-messages';
import { EMPTY_FORM, formState, FormState } from './views/layout';
import { ArrivalFacts, receivePage, ShipmentLine, shipmentsPage, shipPage, TRANSFORM_ROWS, transformPage } from './views/shipment-pages';

function fieldProblem(name: string, code: DomainError['code'], message: string): DomainError {
  return new DomainError(code, message, { field: name, rule: code });
}

/** The trace code in what was scanned or typed: a /t/CODE link, or the code itself (spaces, lower case forgiven). */
export function scannedTraceCode(text: string): string | null {
  const fromUrl = /\/t\/([0-9A-Za-z]{13})(?:[/?#]|$)/.exec(text);
  try {
    return normalizeTraceCodeInput(fromUrl ? fromUrl[1] : text);
  } catch {
    return null;
  }
}

const quantityOf = (values: Record<string, string>, prefix: string) =>
  values[`${prefix}.value`] ? { value: values[`${prefix}.value`], unit: values[`${prefix}.unit`] } : undefined;

/**
 * Shipments workspace: ship a lot to another organisation, receive what was shipped here (found by
 * scanning the lot's trace code or its certificate), mix and split lots with the mass balance shown
 * before they are recorded. The supply-chain service keeps the rules (mass balance, idempotency).
 */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app/shipments')
export class ShipmentsController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly chain: SupplyChainService,
    private readonly batches: BatchesService,
    private readonly products: ProductsService,
    private readonly sites: SitesService,
    private readonly organizations: OrganizationsService,
    private readonly certificates: CertificatesService,
    private readonly collections: CertificateCollectionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async list(@Req() request: FastifyRequest, @Query() query: Record<string, string>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, await this.listView(ctx, EMPTY_FORM, query.shipped ? '已发货' : undefined));
  }

  private async lines(shipments: ShipmentView[], party: (s: ShipmentView) => string): Promise<ShipmentLine[]> {
    const [lots, orgs] = await Promise.all([this.batches.byIds(shipments.map((s) => s.fromBatchId)), this.organizations.summaries(shipments.map(party))]);
    const products = await this.products.byIds(lots.map((b) => b.productId));
    const lotText = new Map(lots.map((b) => [b.id, `${products.get(b.productId)?.name ?? ''} · ${b.lotCode}`]));
    return shipments.map((s) => ({ shipment: s, lot: lotText.get(s.fromBatchId) ?? '', party: orgs.get(party(s))?.name ?? '' }));
  }

  private async listView(ctx: ConsoleContext, scan: FormState, notice?: string): Promise<string> {
    const [inbound, outbound] = await Promise.all([this.chain.listShipments(ctx.actor, 'inbound', undefined), this.chain.listShipments(ctx.actor, 'outbound', undefined)]);
    return shipmentsPage(ctx, await this.lines(inbound.items, (s) => s.fromOrganizationId), await this.lines(outbound.items, (s) => s.toOrganizationId), scan, notice);
  }

  /** What arrived: the in-transit shipment to this organisation whose lot has the scanned trace code or certificate. */
  @Post('scan')
  async scan(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const code = field(formBody(request), 'code');
    const arriving = (await this.chain.listShipments(ctx.actor, 'inbound', 'in_transit')).items;
    const lots = await this.batches.byIds(arriving.map((s) => s.fromBatchId));
    const trace = scannedTraceCode(code);
    let found = trace ? lots.find((b) => b.traceCode === trace) : undefined;
    if (!found && code) {
      // A certificate: its QR link (/c/<token>) or its number, among the valid certificates of the arriving lots.
      const compact = code.replace(/\s+/g, '');
      for (const lot of lots) {
        const certs = (await this.certificates.forBatch(lot.id)).filter((c) => c.status === 'valid');
        if (certs.some((c) => compact.includes(`/c/${c.token}`) || compact === c.token || compact === c.number)) found = lot;
        if (found) break;
      }
    }
    const shipment = found && arriving.find((s) => s.fromBatchId === found.id);
    if (shipment) return redirect(reply, `/app/shipments/${shipment.id}/receive`);
    const problem = code
      ? fieldProblem('code', 'SHIPMENT_NOT_FOUND', '没有发往本单位的在途货物与该追溯码或合格证对应')
      : new DomainError('VALIDATION_FAILED', 'code is required', { fields: [{ field: 'code', rule: 'isNotEmpty', message: 'code is required' }] });
    const problems = formProblems(problem, ['code']);
    if (code) problems.fields.code = '没有发往本单位的在途货物与该追溯码或合格证对应：请核对，或请发货方先在平台上发货';
    return html(reply, await this.listView(ctx, formState({ code }, problems)), 422);
  }

  private async arrival(ctx: ConsoleContext, id: string): Promise<ArrivalFacts> {
    const shipment = (await this.chain.listShipments(ctx.actor, 'inbound', undefined)).items.find((s) => s.id === id);
    if (!shipment) throw new DomainError('NOT_FOUND', 'Shipment not found');
    const [[lot], orgs] = await Promise.all([this.batches.byIds([shipment.fromBatchId]), this.organizations.summaries([shipment.fromOrganizationId])]);
    const products = await this.products.byIds([lot.productId]);
    const cert = (await this.certificates.forBatch(lot.id)).find((c) => c.status === 'valid') ?? null;
    return {
      shipment, lot: `${products.get(lot.productId)?.name ?? ''} · ${lot.lotCode}`, shipper: orgs.get(shipment.fromOrganizationId)?.name ?? '',
      producedOn: lot.producedOn, certificate: cert && { number: cert.number },
    };
  }

  @Get(':id/receive')
  async receiveForm(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const a = await this.arrival(ctx, id);
    if (a.shipment.status !== 'in_transit') return redirect(reply, a.shipment.receivedBatchId ? `/app/batches/${a.shipment.receivedBatchId}` : '/app/shipments');
    return html(reply, await this.receiveView(ctx, a, formState({ 'quantity.unit': a.shipment.quantity.unit }), newKey()));
  }

  private async receiveView(ctx: ConsoleContext, a: ArrivalFacts, state: FormState, key: string): Promise<string> {
    const [products, sites] = await Promise.all([this.products.list(ctx.actor, 100), this.sites.list(ctx.actor, 100)]);
    return receivePage(ctx, a, products.items, sites.items, state, key);
  }

  @Post(':id/receipt')
  async receive(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const names = ['productId', 'siteId', 'quantity.value', 'quantity.unit', 'lotCode'];
    const values: Record<string, string> = Object.fromEntries(names.map((n) => [n, field(body, n)]));
    values.collect = field(body, 'collect');
    const key = field(body, '_key');
    const a = await this.arrival(ctx, id);
    if (a.shipment.status !== 'in_transit' && a.shipment.receivedBatchId) return redirect(reply, `/app/batches/${a.shipment.receivedBatchId}?received=1`);
    const outcome = await attempt(ReceiveShipmentDto, {
      productId: values.productId, siteId: values.siteId, lotCode: optional(values.lotCode), quantity: quantityOf(values, 'quantity'),
    }, names, (dto) => this.chain.receive(ctx.actor, a.shipment.id, dto, key || undefined), { quantity: 'quantity.value' });
    if (!outcome.ok) return html(reply, await this.receiveView(ctx, a, formState(values, outcome.problems), key || newKey()), 422);
    const lot = outcome.result.view.receivedBatch;
    if (values.collect === '1' && a.certificate) {
      // The certificate that came with the lot is checked and recorded (查验), the basis of this organisation's own certificate.
      const cert = (await this.certificates.forBatch(a.shipment.fromBatchId)).find((c) => c.status === 'valid');
      const received = outcome.result.view.quantity as Quantity;
      if (cert) {
        try {
          await this.collections.collect(ctx.actor, { certificate: this.certificates.verifyUrl(cert.token), productId: values.productId, quantity: received });
        } catch (error) {
          if (!isDomainError(error)) throw error;
          return redirect(reply, `/app/batches/${lot.id}?received=1&collect=${encodeURIComponent(error.code)}`);
        }
      }
    }
    return redirect(reply, `/app/batches/${lot.id}?received=1`);
  }

  @Get('new')
  async shipForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, await this.shipView(ctx, formState({ 'quantity.unit': 'kg' }), newKey()));
  }

  private async shipView(ctx: ConsoleContext, state: FormState, key: string): Promise<string> {
    const batches = (await this.batches.list(ctx.actor, 100)).items.filter((b) => b.status === 'active');
    return shipPage(ctx, batches, state, key);
  }

  @Post()
  async ship(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const names = ['batchId', 'toUscc', 'quantity.value', 'quantity.unit', 'referenceDocument'];
    const values: Record<string, string> = Object.fromEntries(names.map((n) => [n, field(body, n)]));
    const key = field(body, '_key');
    const uscc = values.toUscc.toUpperCase().replace(/\s+/g, '');
    const [receiver] = uscc ? await this.organizations.identities({ usccs: [uscc] }) : [];
    if (uscc && (!receiver || receiver.id === ctx.organization.id)) {
      const problems = { fields: { toUscc: receiver ? '不能发货给本单位' : '平台上没有这个统一社会信用代码的单位，请核对' }, general: null };
      return html(reply, await this.shipView(ctx, formState(values, problems), key || newKey()), 422);
    }
    const outcome = await attempt(CreateShipmentDto, {
      batchId: values.batchId, toOrganizationId: receiver?.id ?? '', quantity: quantityOf(values, 'quantity') ?? { unit: values['quantity.unit'] },
      referenceDocument: optional(values.referenceDocument),
    }, names, (dto) => this.chain.ship(ctx.actor, dto, key || undefined), { quantity: 'quantity.value', toOrganizationId: 'toUscc' });
    if (outcome.ok) return redirect(reply, '/app/shipments?shipped=1');
    return html(reply, await this.shipView(ctx, formState(values, outcome.problems), key || newKey()), 422);
  }

  @Get('transform')
  async transformForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const units = Object.fromEntries(Array.from({ length: TRANSFORM_ROWS }, (_, i) => [[`inputs[${i}].quantity.unit`, 'kg'], [`outputs[${i}].quantity.unit`, 'kg']]).flat());
    return html(reply, await this.transformView(ctx, formState({ kind: 'mixing', ...units }), newKey(), null, null));
  }

  /** `confirm`: the checked balance's fingerprint, when it may be submitted. */
  private async transformView(ctx: ConsoleContext, state: FormState, key: string, balance: ReturnType<typeof balanceOf>, confirm: string | null): Promise<string> {
    const [batches, products, sites] = await Promise.all([this.batches.list(ctx.actor, 100), this.products.list(ctx.actor, 100), this.sites.list(ctx.actor, 100)]);
    return transformPage(ctx, { batches: batches.items.filter((b) => b.status === 'active'), products: products.items, sites: sites.items }, state, key, balance, confirm);
  }

  /**
   * Two steps: 核对质量平衡 shows the totals and the yield (the service's own rule, as figures) and
   * only then offers 确认提交; a change after the check is checked again before anything is recorded.
   */
  @Post('transform')
  async transform(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const { values, plain, names } = transformationFromForm(body);
    const key = field(body, '_key') || newKey();
    type Step = { kind: 'done'; view: TransformationView } | { kind: 'preview'; balance: BalanceSummary | null; fingerprint: string };
    const outcome = await attempt(CreateTransformationDto, plain, names, async (dto): Promise<Step> => {
      const balance = balanceOf(dto.inputs.map((i) => i.quantity as Quantity), dto.outputs.map((o) => o.quantity as Quantity), this.config.transformationMaxYieldPercent);
      const fingerprint = balance ? `${balance.inputs}|${balance.outputs}|${balance.unit}` : '';
      const confirmed = field(body, '_step') === 'submit' && field(body, '_balance') === fingerprint;
      if (!confirmed || !balance || balance.problem) return { kind: 'preview', balance, fingerprint };
      return { kind: 'done', view: (await this.chain.transform(ctx.actor, dto, key)).view };
    }, transformAliases(values));
    if (outcome.ok && outcome.result.kind === 'done') return redirect(reply, `/app/batches/${outcome.result.view.outputs[0].batchId}?transformed=1`);
    if (outcome.ok && outcome.result.kind === 'preview') {
      const { balance: preview, fingerprint } = outcome.result;
      const ok = !!preview && !preview.problem;
      return html(reply, await this.transformView(ctx, formState(values), key, preview, ok ? fingerprint : null), ok ? 200 : 422);
    }
    return html(reply, await this.transformView(ctx, formState(values, outcome.ok ? undefined : outcome.problems), key, null, null), 422);
  }
}

/** The transformation form's filled rows as the API's body (rows left empty are not sent). */
function transformationFromForm(body: FormBody): { values: Record<string, string>; plain: Record<string, unknown>; names: string[] } {
  const values: Record<string, string> = { kind: field(body, 'kind') };
  const names = ['kind'];
  const read = (name: string) => {
    names.push(name);
    values[name] = field(body, name);
    return values[name];
  };
  const inputs: unknown[] = [];
  const outputs: unknown[] = [];
  for (let i = 0; i < TRANSFORM_ROWS; i++) {
    const batchId = read(`inputs[${i}].batchId`);
    const qv = read(`inputs[${i}].quantity.value`);
    const qu = read(`inputs[${i}].quantity.unit`);
    if (batchId || qv) inputs.push({ batchId, quantity: { value: qv || undefined, unit: qu } });
  }
  for (let i = 0; i < TRANSFORM_ROWS; i++) {
    const productId = read(`outputs[${i}].productId`);
    const siteId = read(`outputs[${i}].siteId`);
    const qv = read(`outputs[${i}].quantity.value`);
    const qu = read(`outputs[${i}].quantity.unit`);
    const lotCode = read(`outputs[${i}].lotCode`);
    if (productId || siteId || qv) outputs.push({ productId: optional(productId), siteId: optional(siteId), lotCode: optional(lotCode), quantity: { value: qv || undefined, unit: qu } });
  }
  return { values, names, plain: { kind: values.kind, inputs, outputs } };
}

/** API fields of the sent rows (`inputs[0].quantity`, `inputs.0.batchId`) → the rows shown (empty rows were not sent). */
function transformAliases(values: Record<string, string>): Record<string, string> {
  const aliases: Record<string, string> = { inputs: 'inputs[0].batchId', outputs: 'outputs[0].productId' };
  const map = (side: 'inputs' | 'outputs', filled: number[], keys: string[]) => filled.forEach((row, sent) => {
    for (const k of keys) {
      const shown = k === 'quantity' ? `${side}[${row}].quantity.value` : `${side}[${row}].${k}`;
      aliases[`${side}[${sent}].${k}`] = shown;
      aliases[`${side}.${sent}.${k}`] = shown;
      aliases[`${side}[${sent}]`] = `${side}[${row}].${side === 'inputs' ? 'batchId' : 'productId'}`;
    }
  });
  const rows = (side: 'inputs' | 'outputs', keys: string[]) => Array.from({ length: TRANSFORM_ROWS }, (_, i) => i).filter((i) => keys.some((k) => values[`${side}[${i}].${k}`]));
  map('inputs', rows('inputs', ['batchId', 'quantity.value']), ['batchId', 'quantity', 'quantity.value', 'quantity.unit']);
  map('outputs', rows('outputs', ['productId', 'siteId', 'quantity.value']), ['productId', 'siteId', 'lotCode', 'quantity', 'quantity.value', 'quantity.unit']);
  return aliases;
}
