import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { buildSscc, normalizeSscc, ssccCapacity, ssccFromScan } from '../../../libs/codes';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { DomainError } from '../../../libs/errors';
import { renderLogisticLabelPdf, renderLogisticLabelZpl, type LogisticLabelData } from '../../../libs/labels';
import { formatDecimal, parseQuantity, type Quantity } from '../../../libs/quantity';
import { auditedQuery } from '../audit';
import { Actor, requireOwnOrganization } from '../auth';
import { BatchesService } from '../batches';
import { UnitMovementsService } from '../events';
import type { Shipment, UnitReceiptView, UnitShipmentView } from '../events';
import { IdempotencyService } from '../idempotency';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import { AllocateSsccsDto } from './dto/allocate-ssccs.dto';
import { PackSsccDto, ReceiveSsccDto, ShipSsccDto } from './dto/unit-movements.dto';
import { Sscc, SsccContent, SsccCounter, SsccStatus } from './sscc.entity';

export interface SsccView {
  sscc: string;
  allocatedAt: string;
  status: SsccStatus;
  shippedTo: string | null;
  shippedAt: string | null;
  receivedAt: string | null;
  /** What is packed on it now (after it has shipped: what it carries). */
  contents: { batchId: string; quantity: Quantity; packedAt: string }[];
}

/** A unit shipped to the caller, as its receiver may see it before and after receiving it. */
export interface InboundUnitView {
  sscc: string;
  from: { id: string; name: string };
  shippedAt: string;
  /** The sender's document for the shipment (waybill, despatch advice …). */
  referenceDocument: string | null;
  referenceDocumentType: string | null;
  /** When it was received; null while any lot on it is still in transit. */
  receivedAt: string | null;
  lots: {
    batchId: string;
    lotCode: string;
    /** The sender's product. */
    product: { name: string; gtin: string | null };
    quantity: Quantity;
    /** The caller's product with the same GTIN: what the lot is booked as unless another is named. */
    sameGtinProductId: string | null;
    /** The caller's inbound lot, once received. */
    receivedBatch: { id: string; lotCode: string } | null;
  }[];
}

/** A unit on its way to the caller. */
export interface ArrivingUnit {
  sscc: string;
  from: { id: string; name: string };
  shippedAt: string;
  lots: number;
}

const quantityOf = (value: string, unit: string): Quantity => ({ value: formatDecimal(value), unit: unit as Quantity['unit'] });

/**
 * SSCC allocation for logistic units (pallets, cases): an organisation with a GS1 company prefix
 * allocates extension digit + prefix + serial reference + check digit. The counter row is bumped in
 * the same statement that reads it, so concurrent allocations never overlap, and it only grows, so an
 * SSCC is never handed out twice (GS1: not reused for at least a year; here never).
 */
@Injectable()
export class LogisticsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
    private readonly units: UnitMovementsService,
    private readonly idempotency: IdempotencyService,
    private readonly batches: BatchesService,
    private readonly products: ProductsService,
  ) {}

  async allocate(actor: Actor, dto: AllocateSsccsDto): Promise<{ ssccs: string[] }> {
    const organizationId = requireOwnOrganization(actor);
    const prefix = await this.organizations.companyPrefix(organizationId);
    if (!prefix) {
      throw new DomainError('NO_COMPANY_PREFIX', 'The organisation has no GS1 company prefix on record: SSCCs need one', { field: 'gs1CompanyPrefix', rule: 'required' });
    }
    const count = dto.count ?? 1;
    const extension = dto.extensionDigit ?? 0;
    return this.dataSource.transaction(async (m) => {
      const [row] = await auditedQuery<{ next: string }>(m,
        `INSERT INTO sscc_counters (organization_id, company_prefix, extension_digit, next_serial) VALUES ($1, $2, $3, $4)
         ON CONFLICT (organization_id, company_prefix, extension_digit) DO UPDATE SET next_serial = sscc_counters.next_serial + $4
         RETURNING organization_id, company_prefix, extension_digit, next_serial::text AS next`,
        [organizationId, prefix, extension, count], { target: SsccCounter, verb: 'update' });
      const end = BigInt(row.next);
      if (end > ssccCapacity(prefix)) {
        throw new DomainError('SSCC_EXHAUSTED', `Extension digit ${extension} has no serial references left for this company prefix`, { field: 'extensionDigit', rule: 'capacity' });
      }
      const ssccs = Array.from({ length: count }, (_, i) => buildSscc(extension, prefix, end - BigInt(count) + BigInt(i)));
      await auditedQuery(m,
        'INSERT INTO ssccs (sscc, organization_id) SELECT unnest($1::char(18)[]), $2 RETURNING sscc',
        [ssccs, organizationId], { target: Sscc, verb: 'insert' });
      return { ssccs };
    });
  }

  /** The caller's most recent SSCCs (newest first, at most `limit`), with how many lots each holds. */
  async list(actor: Actor, limit = 100): Promise<{ sscc: string; status: SsccStatus; allocatedAt: string; lots: number }[]> {
    const organizationId = requireOwnOrganization(actor);
    const rows = await this.dataSource.query(
      `SELECT s.sscc, s.status, s.allocated_at, (SELECT count(*)::int FROM sscc_contents c WHERE c.sscc = s.sscc) AS lots
         FROM ssccs s WHERE s.organization_id = $1 ORDER BY s.allocated_at DESC, s.sscc DESC LIMIT $2`, [organizationId, limit],
    ) as { sscc: string; status: SsccStatus; allocated_at: Date; lots: number }[];
    return rows.map((r) => ({ sscc: r.sscc, status: r.status, allocatedAt: new Date(r.allocated_at).toISOString(), lots: r.lots }));
  }

  /** Whether the caller's organisation can allocate SSCCs (it has a GS1 company prefix on record). */
  async canAllocate(actor: Actor): Promise<boolean> {
    return (await this.organizations.companyPrefix(requireOwnOrganization(actor))) !== null;
  }

  /** One of the caller's SSCCs (another organisation's answers 404, as if it did not exist). */
  async get(actor: Actor, raw: string): Promise<SsccView> {
    const unit = await this.own(actor, raw);
    return this.view(unit, await this.contents(this.dataSource.manager, unit.sscc));
  }

  private async own(actor: Actor, raw: string, m: EntityManager = this.dataSource.manager): Promise<Sscc> {
    const organizationId = requireOwnOrganization(actor);
    const sscc = normalizeSscc(raw);
    const found = await m.findOneBy(Sscc, { sscc, organizationId });
    if (!found) throw new DomainError('SSCC_NOT_FOUND', 'SSCC not found', { field: 'sscc' });
    return found;
  }

  private async contents(m: EntityManager, sscc: string): Promise<SsccContent[]> {
    return m.find(SsccContent, { where: { sscc }, order: { packedAt: 'ASC', batchId: 'ASC' } });
  }

  private view(u: Sscc, contents: SsccContent[]): SsccView {
    return {
      sscc: u.sscc, allocatedAt: u.allocatedAt.toISOString(), status: u.status, shippedTo: u.shippedTo,
      shippedAt: u.shippedAt?.toISOString() ?? null, receivedAt: u.receivedAt?.toISOString() ?? null,
      contents: contents.map((c) => ({ batchId: c.batchId, quantity: quantityOf(c.quantityValue, c.quantityUnit), packedAt: c.packedAt.toISOString() })),
    };
  }

  /** Locks the caller's unit for a change and checks it has not left. */
  private async lockOpen(m: EntityManager, actor: Actor, sscc: string): Promise<Sscc> {
    const [row] = await m.query('SELECT sscc FROM ssccs WHERE sscc = $1 AND organization_id = $2 FOR UPDATE', [sscc, actor.organizationId]) as unknown[];
    if (!row) throw new DomainError('SSCC_NOT_FOUND', 'SSCC not found', { field: 'sscc' });
    const unit = (await m.findOneBy(Sscc, { sscc }))!;
    if (unit.status !== 'open') throw new DomainError('SSCC_NOT_OPEN', `This unit is ${unit.status}: its contents can no longer change`, { field: 'sscc', status: unit.status });
    return unit;
  }

  /** Packs lots onto one of the caller's open units: an AggregationEvent ADD with the lots as children. */
  async pack(actor: Actor, raw: string, dto: PackSsccDto, key?: string): Promise<{ view: SsccView & { eventID: string }; replayed: boolean }> {
    const unit = await this.own(actor, raw);
    const lots = dto.lots.map((l, n) => ({ batchId: l.batchId, quantity: parseQuantity(l.quantity, `lots[${n}].quantity`), field: `lots[${n}].batchId` }));
    if (new Set(lots.map((l) => l.batchId)).size !== lots.length) {
      throw new DomainError('VALIDATION_FAILED', 'A lot can be named only once per packing', { field: 'lots', rule: 'unique' });
    }
    const plan = await this.units.planPacking(actor, unit.sscc, 'ADD', lots, dto.packedAt);
    const packedAt = new Date(String(plan.event.eventTime));
    const { result, replayed } = await this.idempotency.run(actor, key, `POST /api/v1/ssccs/${unit.sscc}/contents`, dto, async (m) => {
      const locked = await this.lockOpen(m, actor, unit.sscc);
      const already = await m.find(SsccContent, { where: { sscc: unit.sscc } });
      const again = lots.findIndex((l) => already.some((c) => c.batchId === l.batchId));
      if (again >= 0) {
        throw new DomainError('LOT_ALREADY_PACKED', 'This lot is already on the unit: unpack it first to change its quantity', { field: `lots[${again}].batchId` });
      }
      const { eventID } = await this.units.commitPacking(m, plan);
      await auditedQuery(m,
        `INSERT INTO sscc_contents (sscc, batch_id, quantity_value, quantity_unit, packed_at)
         SELECT $1, c."batchId", c.value, c.unit, $3 FROM jsonb_to_recordset($2::jsonb) AS c("batchId" uuid, value numeric, unit varchar)
         RETURNING sscc, batch_id`,
        [unit.sscc, JSON.stringify(lots.map((l) => ({ batchId: l.batchId, value: l.quantity.value, unit: l.quantity.unit }))), packedAt.toISOString()],
        { target: SsccContent, verb: 'insert' });
      return { ...this.view(locked, await this.contents(m, unit.sscc)), eventID };
    });
    return { view: result, replayed };
  }

  /** Takes a lot off one of the caller's open units: an AggregationEvent DELETE. */
  async unpack(actor: Actor, raw: string, batchId: string, key?: string): Promise<{ view: SsccView & { eventID: string }; replayed: boolean }> {
    const unit = await this.own(actor, raw);
    const packed = await this.dataSource.manager.findOneBy(SsccContent, { sscc: unit.sscc, batchId });
    if (!packed) throw new DomainError('LOT_NOT_PACKED', 'This lot is not on the unit', { field: 'batchId' });
    const plan = await this.units.planPacking(actor, unit.sscc, 'DELETE',
      [{ batchId, quantity: quantityOf(packed.quantityValue, packed.quantityUnit), field: 'batchId' }]);
    const { result, replayed } = await this.idempotency.run(actor, key, `DELETE /api/v1/ssccs/${unit.sscc}/contents/${batchId}`, {}, async (m) => {
      const locked = await this.lockOpen(m, actor, unit.sscc);
      const removed = await auditedQuery(m, 'DELETE FROM sscc_contents WHERE sscc = $1 AND batch_id = $2 RETURNING sscc, batch_id', [unit.sscc, batchId],
        { target: SsccContent, verb: 'remove' });
      if (removed.length === 0) throw new DomainError('LOT_NOT_PACKED', 'This lot is not on the unit', { field: 'batchId' });
      const { eventID } = await this.units.commitPacking(m, plan);
      return { ...this.view(locked, await this.contents(m, unit.sscc)), eventID };
    });
    return { view: result, replayed };
  }

  /** Ships one of the caller's packed units: the shipment references the SSCC and every lot on it follows. */
  async ship(actor: Actor, raw: string, dto: ShipSsccDto, key?: string): Promise<{ view: UnitShipmentView; replayed: boolean }> {
    const unit = await this.own(actor, raw);
    const contents = await this.contents(this.dataSource.manager, unit.sscc);
    if (unit.status === 'open' && contents.length === 0) throw new DomainError('SSCC_EMPTY', 'Nothing is packed on this unit', { field: 'sscc' });
    const plan = await this.units.planUnitShipment(actor, {
      sscc: unit.sscc, toOrganizationId: dto.toOrganizationId, shippedAt: dto.shippedAt,
      referenceDocument: dto.referenceDocument ?? null, referenceDocumentType: dto.referenceDocumentType ?? null,
      lots: contents.map((c) => ({ batchId: c.batchId, quantity: quantityOf(c.quantityValue, c.quantityUnit) })),
    });
    const { result, replayed } = await this.idempotency.run(actor, key, `POST /api/v1/ssccs/${unit.sscc}/shipment`, dto, async (m) => {
      await this.lockOpen(m, actor, unit.sscc);
      const now = await this.contents(m, unit.sscc);
      if (now.length !== contents.length || now.some((c, i) => c.batchId !== contents[i].batchId || c.quantityValue !== contents[i].quantityValue)) {
        throw new DomainError('CONFLICT', 'The unit\'s contents changed while shipping: try again', { field: 'sscc' });
      }
      const view = await this.units.commitUnitShipment(m, plan);
      await auditedQuery(m, `UPDATE ssccs SET status = 'shipped', shipped_to = $2, shipped_at = $3 WHERE sscc = $1 RETURNING sscc`,
        [unit.sscc, plan.to, plan.shippedAt.toISOString()], { target: Sscc, verb: 'update', subjects: [unit.sscc] });
      return view;
    });
    return { view: result, replayed };
  }

  /**
   * The receiver scans the SSCC: every lot shipped on the unit becomes its inbound lot. A unit not
   * shipped to the caller (another organisation's, or never shipped) is 404; scanning it again
   * answers the first receipt.
   */
  async receive(actor: Actor, raw: string, dto: ReceiveSsccDto, key?: string): Promise<{ view: UnitReceiptView; replayed: boolean }> {
    const { sscc, shipments } = await this.shippedToCaller(actor, raw);
    const plan = await this.units.planUnitReceipt(actor, shipments, dto);
    const { result, replayed } = await this.idempotency.run(actor, key, `POST /api/v1/ssccs/${sscc}/receipt`, dto, async (m) => {
      const out = await this.units.commitUnitReceipt(m, plan);
      // Also when every lot had been received on its own before: the unit is received now.
      await auditedQuery(m, `UPDATE ssccs SET status = 'received', received_at = $2 WHERE sscc = $1 AND status <> 'received' RETURNING sscc`,
        [sscc, plan.receivedAt.toISOString()], { target: Sscc, verb: 'update', subjects: [sscc] });
      return out;
    });
    if (!result.replayed) this.units.announce(result.view);
    return { view: result.view, replayed: replayed || result.replayed };
  }

  /**
   * The shipments of a unit shipped to the caller, found by what was scanned (any form `ssccFromScan`
   * reads). Another organisation's unit, or one never shipped to the caller, is SSCC_NOT_FOUND.
   */
  private async shippedToCaller(actor: Actor, raw: string): Promise<{ sscc: string; shipments: Shipment[] }> {
    const organizationId = requireOwnOrganization(actor);
    const sscc = ssccFromScan(raw);
    const unit = await this.dataSource.manager.findOneBy(Sscc, { sscc });
    const shipments = unit && unit.shippedTo === organizationId ? await this.units.unitShipmentsTo(organizationId, sscc) : [];
    if (shipments.length === 0) throw new DomainError('SSCC_NOT_FOUND', 'No logistic unit with this SSCC was shipped to your organisation', { field: 'sscc' });
    return { sscc, shipments };
  }

  /**
   * A unit shipped to the caller, as the receiver sees it on scanning it: who sent it, what is on it
   * and, once received, the inbound lots. Only its receiver may read it this way (404 for anyone else).
   */
  async inbound(actor: Actor, raw: string): Promise<InboundUnitView> {
    const organizationId = requireOwnOrganization(actor);
    const { sscc, shipments } = await this.shippedToCaller(actor, raw);
    const received = shipments.map((s) => s.receivedBatchId).filter((id): id is string => id !== null);
    const [lots, inboundLots, parties] = await Promise.all([
      this.batches.byIds(shipments.map((s) => s.fromBatchId)), this.batches.byIds(received), this.organizations.summaries([shipments[0].fromOrganizationId]),
    ]);
    const lotOf = new Map(lots.map((b) => [b.id, b]));
    const inboundOf = new Map(inboundLots.map((b) => [b.id, b]));
    const products = await this.products.byIds(lots.map((b) => b.productId));
    const sameGtin = await this.ownProductsByGtin(organizationId, [...products.values()].map((p) => p.gtin));
    const first = shipments[0];
    return {
      sscc, from: { id: first.fromOrganizationId, name: parties.get(first.fromOrganizationId)?.name ?? '' },
      shippedAt: first.shippedAt.toISOString(), referenceDocument: first.referenceDocument, referenceDocumentType: first.referenceDocumentType,
      receivedAt: shipments.every((s) => s.status === 'received') ? (first.receivedAt?.toISOString() ?? null) : null,
      lots: shipments.map((s) => {
        const lot = lotOf.get(s.fromBatchId)!;
        const product = products.get(lot.productId);
        const inboundLot = s.receivedBatchId ? inboundOf.get(s.receivedBatchId) : undefined;
        return {
          batchId: lot.id, lotCode: lot.lotCode, product: { name: product?.name ?? '', gtin: product?.gtin ?? null },
          quantity: quantityOf(s.quantityValue, s.quantityUnit), sameGtinProductId: (product?.gtin && sameGtin.get(product.gtin)) ?? null,
          receivedBatch: inboundLot ? { id: inboundLot.id, lotCode: inboundLot.lotCode } : null,
        };
      }),
    };
  }

  /** The caller's product for each GTIN, where it has one (the receipt books a lot as it unless told otherwise). */
  private async ownProductsByGtin(organizationId: string, gtins: (string | null)[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const gtin of new Set(gtins.filter((g): g is string => g !== null))) {
      const same = await this.products.byIds(await this.products.idsByGtin(gtin));
      const own = [...same.values()].find((p) => p.organizationId === organizationId);
      if (own) out.set(gtin, own.id);
    }
    return out;
  }

  /** Units on their way to the caller (a lot still in transit), newest first. */
  async arriving(actor: Actor, limit = 50): Promise<ArrivingUnit[]> {
    const units = await this.units.unitsArriving(requireOwnOrganization(actor), limit);
    const parties = await this.organizations.summaries(units.map((u) => u.fromOrganizationId));
    return units.map((u) => ({
      sscc: u.sscc, from: { id: u.fromOrganizationId, name: parties.get(u.fromOrganizationId)?.name ?? '' }, shippedAt: u.shippedAt.toISOString(), lots: u.lots,
    }));
  }

  /** The GS1 logistic label of one of the caller's units: 100 × 150 mm PDF or ZPL. */
  async label(actor: Actor, raw: string, format: 'pdf' | 'zpl'): Promise<Buffer | string> {
    const unit = await this.own(actor, raw);
    const contents = await this.contents(this.dataSource.manager, unit.sscc);
    const batches = await this.batches.byIds(contents.map((c) => c.batchId));
    const byId = new Map(batches.map((b) => [b.id, b]));
    const products = await this.products.byIds(batches.map((b) => b.productId));
    const parties = await this.organizations.parties([unit.organizationId, ...(unit.shippedTo ? [unit.shippedTo] : [])]);
    const party = (id: string) => {
      const p = parties.get(id)!;
      return { name: p.name, address: p.address, gln: p.gln };
    };
    const packedAt = contents.reduce<Date | null>((a, c) => (a && a > c.packedAt ? a : c.packedAt), null);
    const data: LogisticLabelData = {
      sscc: unit.sscc,
      from: party(unit.organizationId),
      to: unit.shippedTo ? party(unit.shippedTo) : null,
      contents: contents.map((c) => {
        const b = byId.get(c.batchId)!;
        const p = products.get(b.productId);
        return { gtin: p?.gtin ?? null, description: p?.name ?? '', lotCode: b.lotCode, quantity: quantityOf(c.quantityValue, c.quantityUnit) };
      }),
      packedOn: packedAt ? chinaDate(packedAt) : null,
    };
    return format === 'pdf' ? renderLogisticLabelPdf([data]) : renderLogisticLabelZpl([data]);
  }
}
