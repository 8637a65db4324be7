import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, In, Repository } from 'typeorm';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { DomainError } from '../../../libs/errors';
import { formatDecimal, type Quantity } from '../../../libs/quantity';
import { announceBatchChanged } from '../../common/batch-events';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Actor, requireOwnOrganization } from '../auth';
import { BatchesService } from '../batches';
import type { Batch } from '../batches';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import type { ProductView } from '../products';
import { SitesService } from '../sites';
import {
  aggregationEvent, lotUri, receiptDocumentOf, unitReceivingEvent, unitShippingEvent, withGlns,
} from './domain/platform-events';
import type { ReferenceDocumentType } from './domain/platform-events';
import { EventsService } from './events.service';
import { LotGraphService } from './lot-graph.service';
import { Shipment } from './shipment.entity';
import { eventInstant, ReservationProvider, SupplyChainService } from './supply-chain.service';

/** A lot moved with a logistic unit: which, how much. */
export interface UnitLot {
  batchId: string;
  quantity: Quantity;
}

export interface PackingPlan {
  organizationId: string;
  sscc: string;
  action: 'ADD' | 'DELETE';
  lots: { batch: Batch; quantity: Quantity; field: string }[];
  event: Record<string, unknown>;
}

export interface UnitShipmentPlan {
  sscc: string;
  from: string;
  to: string;
  shippedAt: Date;
  referenceDocument: string | null;
  referenceDocumentType: string | null;
  lots: { batch: Batch; quantity: Quantity }[];
  event: Record<string, unknown>;
}

export interface UnitShipmentView {
  sscc: string;
  eventID: string;
  toOrganizationId: string;
  shippedAt: string;
  shipments: { id: string; batchId: string; quantity: Quantity }[];
}

export interface UnitReceiptView {
  sscc: string;
  eventID: string;
  fromOrganizationId: string;
  receivedAt: string;
  lots: { shipmentId: string; fromBatchId: string; quantity: Quantity; receivedBatch: { id: string; lotCode: string; traceCode: string | null } }[];
}

export interface UnitReceiptInput {
  siteId: string;
  productId?: string;
  products?: { batchId: string; productId: string }[];
  receivedAt?: string;
  /** The receiver's own document for the receipt. */
  referenceDocument?: string;
  referenceDocumentType?: ReferenceDocumentType;
}

const quantityOf = (value: string, unit: string): Quantity => ({ value: formatDecimal(value), unit: unit as Quantity['unit'] });

/**
 * Lots moving on logistic units (SSCC): packing and unpacking (EPCIS AggregationEvent ADD/DELETE),
 * shipping a unit (one shipping event naming the SSCC and every lot on it; one shipment row per lot,
 * so mass balance, the lot graph and recalls see them like any shipment) and receiving it by its
 * SSCC (every lot on it becomes an inbound lot of the receiver in one receiving event).
 *
 * The logistics feature owns the units and what is packed on them and calls these in two steps:
 * `plan…` reads and checks before the transaction (the embedded database has one connection),
 * `commit…` writes inside the transaction logistics opened for its own rows.
 */
@Injectable()
export class UnitMovementsService {
  constructor(
    @InjectRepository(Shipment) private readonly shipments: Repository<Shipment>,
    private readonly chain: SupplyChainService,
    private readonly events: EventsService,
    private readonly graph: LotGraphService,
    private readonly batches: BatchesService,
    private readonly products: ProductsService,
    private readonly sites: SitesService,
    private readonly organizations: OrganizationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async lotUris(batches: Batch[]): Promise<Map<string, string>> {
    const products = await this.products.byIds(batches.map((b) => b.productId));
    const base = this.config.publicBaseUrl;
    return new Map(batches.map((b) => [b.id, lotUri(base, { gtin: products.get(b.productId)?.gtin ?? null, lotCode: b.lotCode, traceCode: b.traceCode })]));
  }

  /** Packing (ADD) the caller's lots onto a unit, or unpacking (DELETE) them; `field` names each lot's input. */
  async planPacking(actor: Actor, sscc: string, action: 'ADD' | 'DELETE', lots: (UnitLot & { field: string })[], at?: string): Promise<PackingPlan> {
    const organizationId = requireOwnOrganization(actor);
    const eventTime = eventInstant(at, 'packedAt');
    const batches = await Promise.all(lots.map(async (l) => ({ batch: await this.chain.takeableLot(actor, l.batchId, l.field), quantity: l.quantity, field: l.field })));
    const uris = await this.lotUris(batches.map((b) => b.batch));
    const siteId = batches[0].batch.siteId;
    const event = withGlns(aggregationEvent(this.config.publicBaseUrl, {
      eventTime, sscc, action, siteId,
      children: batches.map((b) => ({ lot: uris.get(b.batch.id)!, quantity: b.quantity })),
    }), this.config.publicBaseUrl, await this.chain.glns([], [siteId]));
    return { organizationId, sscc, action, lots: batches, event };
  }

  /**
   * Records the aggregation event; packing checks each lot under its lock: still active, and the
   * quantity still there after what has left it and what sits on unshipped units (the reservations
   * logistics registered with the supply chain).
   */
  async commitPacking(m: EntityManager, plan: PackingPlan): Promise<{ eventID: string }> {
    if (plan.action === 'ADD') {
      await this.chain.lockLots(m, plan.lots.map((l) => l.batch.id));
      for (const l of plan.lots) {
        await this.chain.assertCanTake(m, l.batch, l.quantity, `${l.field.replace(/\.batchId$/, '')}.quantity`, l.field);
      }
    }
    const recorded = await this.events.record(m, plan.event, {
      recordedBy: plan.organizationId, batchIds: plan.lots.map((l) => l.batch.id), organizationIds: [plan.organizationId],
      regionCodes: plan.lots.map((l) => l.batch.regionCode),
    });
    return { eventID: recorded.eventId };
  }

  async planUnitShipment(actor: Actor, input: {
    sscc: string; lots: UnitLot[]; toOrganizationId: string; referenceDocument?: string | null; referenceDocumentType?: string | null; shippedAt?: string;
  }): Promise<UnitShipmentPlan> {
    const from = requireOwnOrganization(actor);
    const shippedAt = eventInstant(input.shippedAt, 'shippedAt');
    const receiver = await this.organizations.summary(input.toOrganizationId);
    if (!receiver) throw new DomainError('NOT_FOUND', 'Receiving organisation not found', { field: 'toOrganizationId' });
    if (receiver.id === from) {
      throw new DomainError('VALIDATION_FAILED', 'A shipment goes to another organisation (moves inside one are not shipments)', { field: 'toOrganizationId', rule: 'other_organization' });
    }
    const lots = await Promise.all(input.lots.map(async (l) => ({ batch: await this.chain.takeableLot(actor, l.batchId), quantity: l.quantity })));
    const uris = await this.lotUris(lots.map((l) => l.batch));
    const fromSiteId = lots[0].batch.siteId;
    const event = withGlns(unitShippingEvent(this.config.publicBaseUrl, {
      eventTime: shippedAt, sscc: input.sscc, lots: lots.map((l) => ({ lot: uris.get(l.batch.id)!, quantity: l.quantity })),
      fromOrganizationId: from, fromSiteId, toOrganizationId: receiver.id, referenceDocument: input.referenceDocument ?? null,
      referenceDocumentType: input.referenceDocumentType ?? null,
    }), this.config.publicBaseUrl, await this.chain.glns([from, receiver.id], [fromSiteId]));
    return {
      sscc: input.sscc, from, to: receiver.id, shippedAt, referenceDocument: input.referenceDocument ?? null,
      referenceDocumentType: input.referenceDocumentType ?? null, lots, event,
    };
  }

  /** One shipping event for the unit, one shipment per lot on it (mass balance checked under the lots' locks). */
  async commitUnitShipment(m: EntityManager, plan: UnitShipmentPlan): Promise<UnitShipmentView> {
    await this.chain.lockLots(m, plan.lots.map((l) => l.batch.id));
    // The unit's own contents are what ships now: only other units' reservations count.
    for (const l of plan.lots) await this.chain.assertCanTake(m, l.batch, l.quantity, 'quantity', 'batchId', [], plan.sscc);
    const recorded = await this.events.record(m, plan.event, {
      recordedBy: plan.from, batchIds: plan.lots.map((l) => l.batch.id), organizationIds: [plan.from, plan.to],
      regionCodes: plan.lots.map((l) => l.batch.regionCode),
    });
    const rows = plan.lots.map((l) => m.create(Shipment, {
      id: randomUUID(), fromOrganizationId: plan.from, fromBatchId: l.batch.id, toOrganizationId: plan.to,
      quantityValue: l.quantity.value, quantityUnit: l.quantity.unit, referenceDocument: plan.referenceDocument,
      referenceDocumentType: plan.referenceDocumentType, shippedAt: plan.shippedAt, shipEventId: recorded.id, sscc: plan.sscc,
    }));
    await m.save(rows);
    return {
      sscc: plan.sscc, eventID: recorded.eventId, toOrganizationId: plan.to, shippedAt: plan.shippedAt.toISOString(),
      shipments: rows.map((s) => ({ id: s.id, batchId: s.fromBatchId, quantity: quantityOf(s.quantityValue, s.quantityUnit) })),
    };
  }

  /** The shipments of a unit sent to this organisation (none: the unit was not shipped to it). */
  async unitShipmentsTo(organizationId: string, sscc: string): Promise<Shipment[]> {
    return this.shipments.find({ where: { sscc, toOrganizationId: organizationId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Units shipped to this organisation with a lot still in transit (newest first): SSCC, sender, when they left, how many lots. */
  async unitsArriving(organizationId: string, limit = 50): Promise<{ sscc: string; fromOrganizationId: string; shippedAt: Date; lots: number }[]> {
    // The shipments' (to_organization_id, created_at) index finds them; ssccs has no index on its receiver.
    const rows = await this.shipments.query(
      `SELECT s.sscc, s.from_organization_id AS "fromOrganizationId", max(s.shipped_at) AS "shippedAt", count(*)::int AS lots
         FROM shipments s WHERE s.to_organization_id = $1 AND s.sscc IS NOT NULL AND s.status = 'in_transit'
        GROUP BY s.sscc, s.from_organization_id ORDER BY max(s.shipped_at) DESC, s.sscc LIMIT $2`, [organizationId, limit],
    ) as { sscc: string; fromOrganizationId: string; shippedAt: Date; lots: number }[];
    return rows.map((r) => ({ ...r, shippedAt: new Date(r.shippedAt) }));
  }

  /**
   * Which of the receiver's products each shipped lot is booked as: the one named for that lot, else
   * the receiver's product with the same GTIN, else `productId`. A lot left without one is refused; a
   * lot already received on its own (null) needs none.
   */
  private async receiverProducts(organizationId: string, shipped: (Batch | null)[], input: UnitReceiptInput): Promise<Map<string, ProductView>> {
    const named = new Map((input.products ?? []).map((p) => [p.batchId, p.productId]));
    const fromProducts = await this.products.byIds(shipped.flatMap((b) => (b ? [b.productId] : [])));
    const candidates = await this.products.byIds([...named.values(), ...(input.productId ? [input.productId] : [])]);
    const out = new Map<string, ProductView>();
    for (const [n, b] of shipped.entries()) {
      if (!b) continue;
      const namedId = named.get(b.id) ?? null;
      let product = namedId ? candidates.get(namedId) : undefined;
      if (namedId && product?.organizationId !== organizationId) {
        throw new DomainError('NOT_FOUND', 'Product not found', { field: `products[${[...named.keys()].indexOf(b.id)}].productId` });
      }
      const gtin = fromProducts.get(b.productId)?.gtin;
      if (!product && gtin) {
        const same = await this.products.byIds(await this.products.idsByGtin(gtin));
        product = [...same.values()].find((p) => p.organizationId === organizationId);
      }
      if (!product && input.productId) {
        product = candidates.get(input.productId);
        if (product?.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'Product not found', { field: 'productId' });
      }
      if (!product) {
        throw new DomainError('VALIDATION_FAILED', `Lot ${b.lotCode} on this unit has no product of yours to be booked as: name productId (or products[].productId)`, { field: 'productId', rule: 'required', lot: n });
      }
      out.set(b.id, product);
    }
    return out;
  }

  async planUnitReceipt(actor: Actor, shipments: Shipment[], input: UnitReceiptInput) {
    const organizationId = requireOwnOrganization(actor);
    const site = await this.sites.findReadable(actor, input.siteId);
    if (site.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'Site not found', { field: 'siteId' });
    const receivedAt = eventInstant(input.receivedAt, 'receivedAt');
    const document = receiptDocumentOf(input);
    const shippedAt = shipments.reduce((a, s) => (s.shippedAt > a ? s.shippedAt : a), shipments[0].shippedAt);
    if (receivedAt < shippedAt) throw new DomainError('VALIDATION_FAILED', 'receivedAt is before the unit left', { field: 'receivedAt', rule: 'after_shipping' });
    const from = await this.batches.byIds(shipments.map((s) => s.fromBatchId));
    const byId = new Map(from.map((b) => [b.id, b]));
    // A lot of the unit may have been received on its own already (POST /shipments/{id}/receipt): it needs no product.
    const products = await this.receiverProducts(organizationId, shipments.map((s) => (s.status === 'in_transit' ? byId.get(s.fromBatchId)! : null)), input);
    const fromUris = await this.lotUris(from);
    const glns = await this.chain.glns([shipments[0].fromOrganizationId, organizationId], [site.id]);
    return { organizationId, site, receivedAt, document, byId, products, fromUris, glns, sscc: shipments[0].sscc!, shipmentIds: shipments.map((s) => s.id) };
  }

  /**
   * Books every lot of the unit as an inbound lot of the receiver, in one receiving event. A unit
   * already received answers what that receipt booked (receiving twice changes nothing).
   */
  async commitUnitReceipt(m: EntityManager, plan: Awaited<ReturnType<UnitMovementsService['planUnitReceipt']>>): Promise<{ view: UnitReceiptView; replayed: boolean }> {
    const locked = await m.find(Shipment, { where: { id: In(plan.shipmentIds) }, order: { createdAt: 'ASC', id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    if (locked.every((s) => s.status === 'received')) return { view: await this.receiptView(m, locked), replayed: true };
    const base = this.config.publicBaseUrl;
    const booked: { shipment: Shipment; lot: Batch; quantity: Quantity }[] = [];
    for (const s of locked.filter((x) => x.status === 'in_transit')) {
      const product = plan.products.get(s.fromBatchId)!;
      const quantity = quantityOf(s.quantityValue, s.quantityUnit);
      const lot = await this.batches.createLot(m, {
        organizationId: plan.organizationId, productId: product.id, siteId: plan.site.id, regionCode: plan.site.regionCode, quantity,
        producedOn: chinaDate(plan.receivedAt),
      });
      booked.push({ shipment: s, lot, quantity });
    }
    const productOf = (b: Batch) => plan.products.get(booked.find((x) => x.lot.id === b.id)!.shipment.fromBatchId)!;
    const event = withGlns(unitReceivingEvent(base, {
      eventTime: plan.receivedAt, sscc: plan.sscc,
      lots: booked.map((x) => ({
        inboundLot: lotUri(base, { gtin: productOf(x.lot).gtin, lotCode: x.lot.lotCode, traceCode: x.lot.traceCode }),
        fromLot: plan.fromUris.get(x.shipment.fromBatchId)!, quantity: x.quantity,
      })),
      fromOrganizationId: locked[0].fromOrganizationId, toOrganizationId: plan.organizationId, toSiteId: plan.site.id,
      referenceDocument: locked[0].referenceDocument, referenceDocumentType: locked[0].referenceDocumentType, receiptDocument: plan.document,
    }), base, plan.glns);
    const recorded = await this.events.record(m, event, {
      recordedBy: plan.organizationId,
      batchIds: booked.flatMap((x) => [x.lot.id, x.shipment.fromBatchId]),
      organizationIds: [plan.organizationId, locked[0].fromOrganizationId],
      regionCodes: [plan.site.regionCode, ...booked.map((x) => plan.byId.get(x.shipment.fromBatchId)!.regionCode)],
    });
    await this.graph.addLinks(m, booked.map((x) => ({
      fromBatchId: x.shipment.fromBatchId, toBatchId: x.lot.id, eventId: recorded.id, kind: 'shipment' as const,
      quantity: x.quantity, eventTime: plan.receivedAt.toISOString(),
    })));
    for (const x of booked) {
      const receipt = {
        status: 'received' as const, receivedBatchId: x.lot.id, receivedAt: plan.receivedAt, receiveEventId: recorded.id,
        receiptReferenceDocument: plan.document?.number ?? null, receiptReferenceDocumentType: plan.document?.type ?? null,
      };
      await m.update(Shipment, { id: x.shipment.id }, receipt);
      Object.assign(x.shipment, receipt);
    }
    return { view: await this.receiptView(m, locked), replayed: false };
  }

  /** Lets logistics report what its open units hold of a lot (see SupplyChainService.registerReservations). */
  reserveWith(provider: ReservationProvider): void {
    this.chain.registerReservations(provider);
  }

  /** Announces the lots a receipt created (after its transaction committed). */
  announce(view: UnitReceiptView): void {
    announceBatchChanged(null, view.lots.map((l) => l.receivedBatch.id));
  }

  private async receiptView(m: EntityManager, shipments: Shipment[]): Promise<UnitReceiptView> {
    const byId = new Map<string, { id: string; lotCode: string; traceCode: string | null }>();
    for (const s of shipments) {
      const lot = s.receivedBatchId ? await this.batches.byId(s.receivedBatchId, m) : null;
      if (lot) byId.set(lot.id, { id: lot.id, lotCode: lot.lotCode, traceCode: lot.traceCode });
    }
    const eventIds = [...new Set(shipments.map((s) => s.receiveEventId).filter((x): x is string => x !== null))];
    const events = await m.query('SELECT id, event_id AS "eventId" FROM epcis_event_ids WHERE id = ANY($1::uuid[])', [eventIds]) as { id: string; eventId: string }[];
    return {
      sscc: shipments[0].sscc!,
      eventID: events.find((e) => e.id === shipments[0].receiveEventId)?.eventId ?? '',
      fromOrganizationId: shipments[0].fromOrganizationId,
      receivedAt: shipments[0].receivedAt!.toISOString(),
      lots: shipments.map((s) => ({
        shipmentId: s.id, fromBatchId: s.fromBatchId, quantity: quantityOf(s.quantityValue, s.quantityUnit),
        receivedBatch: byId.get(s.receivedBatchId!)!,
      })),
    };
  }
}

