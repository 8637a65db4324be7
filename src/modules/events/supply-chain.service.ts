import { chinaDate } from '../../../libs/codes/calendar-date';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Actor, canRead, isAdmin, regulatorPrefix, requireOwnOrganization } from '../auth';
import { BatchesService } from '../batches';
import type { Batch } from '../batches';
import { announceBatchChanged } from '../../common/batch-events';
import { formatDecimal, parseQuantity, Quantity } from '../../../libs/quantity';
import { IdempotencyService } from '../idempotency';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import { findRegion } from '../regions/domain';
import { SitesService } from '../sites';
import { assertAvailable, assertYield } from './domain/mass-balance';
import {
  Glns, lotUri, receiptDocumentOf, receivingEvent, shippingEvent, transformationEvent, TransformationKind, withGlns,
} from './domain/platform-events';
import { CreateShipmentDto, CreateTransformationDto, ReceiveShipmentDto } from './dto/supply-chain.dto';
import { EventsService } from './events.service';
import { Direction, GraphEdge, LotGraphService } from './lot-graph.service';
import { Shipment } from './shipment.entity';
import { repositoryIn } from '../../common/read-replica';

export interface ShipmentView {
  id: string;
  fromOrganizationId: string;
  fromBatchId: string;
  toOrganizationId: string;
  quantity: Quantity;
  referenceDocument: string | null;
  referenceDocumentType: string | null;
  /** The receiver's own document for the receipt (FSMA 204 reference document on receiving). */
  receiptReferenceDocument: string | null;
  receiptReferenceDocumentType: string | null;
  status: Shipment['status'];
  shippedAt: string;
  receivedBatchId: string | null;
  receivedAt: string | null;
  eventID: string;
}

export interface LotView {
  id: string;
  lotCode: string;
  lotUri: string;
  organization: { id: string; name: string };
  product: { id: string; name: string; gtin: string | null };
  quantity: Quantity;
  producedOn: string;
  regionCode: string;
  regionName: string;
  status: Batch['status'];
  /** Distance from the root: negative upstream, positive downstream. */
  depth: number;
}

export interface TraceView {
  root: string;
  direction: Direction;
  depth: number;
  lots: LotView[];
  events: GraphEdge[];
}

/** What of a lot is held elsewhere in the caller's transaction (see SupplyChainService.registerReservations). */
export type ReservationProvider = (m: EntityManager, batchId: string, exceptUnit: string | null) => Promise<Quantity[]>;

export interface TraceabilityMovements {
  shipped: Shipment[];
  received: Shipment[];
  transformations: { eventId: string; outputBatchId: string; eventTime: Date; inputs: { batchId: string; quantity: Quantity }[] }[];
  /** Lots that came out of a receipt or a transformation (any time): not harvested or initially packed here. */
  derived: Set<string>;
}

export interface TransformationView {
  eventID: string;
  kind: TransformationKind;
  inputs: { batchId: string; quantity: Quantity }[];
  outputs: { batchId: string; lotCode: string; traceCode: string | null; quantity: Quantity }[];
}

/** An event's instant from the request: now when absent, never more than 5 minutes ahead. */
export function eventInstant(value: string | undefined, field: string): Date {
  if (value === undefined) return new Date();
  const at = new Date(value);
  if (Number.isNaN(at.getTime()) || !/T/.test(value)) {
    throw new DomainError('VALIDATION_FAILED', `${field} must be an ISO 8601 instant`, { field, rule: 'datetime' });
  }
  if (at.getTime() > Date.now() + 5 * 60_000) {
    throw new DomainError('VALIDATION_FAILED', `${field} cannot be in the future`, { field, rule: 'not_future' });
  }
  return at;
}

/** The China calendar date of an instant (a received lot's date). */

/**
 * Shipments, receipts and transformations between and inside organisations, with mass balance,
 * and the lot graph they build. Every change is also an EPCIS event, recorded in the same
 * transaction as the change.
 */
@Injectable()
export class SupplyChainService {
  constructor(
    @InjectRepository(Shipment) private readonly shipments: Repository<Shipment>,
    private readonly events: EventsService,
    private readonly graph: LotGraphService,
    private readonly batches: BatchesService,
    private readonly products: ProductsService,
    private readonly sites: SitesService,
    private readonly organizations: OrganizationsService,
    private readonly idempotency: IdempotencyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** GLNs of the parties and sites an event names, looked up before its transaction (embedded PGlite has one connection). */
  async glns(organizationIds: string[], siteIds: string[]): Promise<Glns> {
    const [parties, sites] = await Promise.all([this.organizations.glns(organizationIds), this.sites.glns(siteIds)]);
    return { parties, sites };
  }

  async ship(actor: Actor, dto: CreateShipmentDto, key?: string): Promise<{ view: ShipmentView; replayed: boolean }> {
    const batch = await this.batches.findWritable(actor, dto.batchId);
    const quantity = parseQuantity(dto.quantity);
    const shippedAt = eventInstant(dto.shippedAt, 'shippedAt');
    const receiver = await this.organizations.summary(dto.toOrganizationId);
    if (!receiver) throw new DomainError('NOT_FOUND', 'Receiving organisation not found', { field: 'toOrganizationId' });
    if (receiver.id === batch.organizationId) {
      throw new DomainError('VALIDATION_FAILED', 'A shipment goes to another organisation (moves inside one are not shipments)', { field: 'toOrganizationId', rule: 'other_organization' });
    }
    const product = (await this.products.byId(batch.productId))!;
    const glns = await this.glns([batch.organizationId, receiver.id], [batch.siteId]);
    const { result, replayed } = await this.idempotency.run(actor, key, 'POST /api/v1/shipments', dto, async (m) => {
      await this.lockLots(m, [batch.id]);
      await this.assertCanTake(m, batch, quantity);
      const shipmentId = randomUUID();
      const event = withGlns(shippingEvent(this.config.publicBaseUrl, {
        shipment: `${this.config.publicBaseUrl}/api/v1/shipments/${shipmentId}`,
        eventTime: shippedAt, lot: lotUri(this.config.publicBaseUrl, { gtin: product.gtin, lotCode: batch.lotCode, traceCode: batch.traceCode }),
        quantity, fromOrganizationId: batch.organizationId, fromSiteId: batch.siteId, toOrganizationId: receiver.id,
        referenceDocument: dto.referenceDocument ?? null, referenceDocumentType: dto.referenceDocumentType ?? null,
      }), this.config.publicBaseUrl, glns);
      const recorded = await this.events.record(m, event, {
        recordedBy: batch.organizationId, batchIds: [batch.id], organizationIds: [batch.organizationId, receiver.id], regionCodes: [batch.regionCode],
      });
      const shipment = await m.save(m.create(Shipment, {
        id: shipmentId, fromOrganizationId: batch.organizationId, fromBatchId: batch.id, toOrganizationId: receiver.id,
        quantityValue: quantity.value, quantityUnit: quantity.unit, referenceDocument: dto.referenceDocument ?? null,
        referenceDocumentType: dto.referenceDocumentType ?? null, shippedAt, shipEventId: recorded.id,
      }));
      return this.view(shipment, recorded.eventId);
    });
    return { view: result, replayed };
  }

  /** The receiver books an arrived shipment as its own inbound lot, linked to the shipped lot. */
  async receive(actor: Actor, shipmentId: string, dto: ReceiveShipmentDto, key?: string): Promise<{ view: ShipmentView & { receivedBatch: { id: string; lotCode: string; traceCode: string | null } }; replayed: boolean }> {
    const organizationId = requireOwnOrganization(actor);
    const shipment = isUuid(shipmentId) ? await this.shipments.findOneBy({ id: shipmentId }) : null;
    if (!shipment || (shipment.toOrganizationId !== organizationId && shipment.fromOrganizationId !== organizationId)) {
      throw new DomainError('SHIPMENT_NOT_FOUND', 'No shipment to this organisation has this id: a receipt needs a shipment', { field: 'shipmentId' });
    }
    if (shipment.toOrganizationId !== organizationId) {
      throw new DomainError('FORBIDDEN', 'Only the receiving organisation can book the receipt');
    }
    const product = await this.products.findReadable(actor, dto.productId);
    const site = await this.sites.findReadable(actor, dto.siteId);
    if (product.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'Product not found', { field: 'productId' });
    if (site.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'Site not found', { field: 'siteId' });
    const shipped: Quantity = { value: formatDecimal(shipment.quantityValue), unit: shipment.quantityUnit as Quantity['unit'] };
    const quantity = dto.quantity ? parseQuantity(dto.quantity) : shipped;
    assertAvailable(shipped, [], quantity, 'quantity');
    const receivedAt = eventInstant(dto.receivedAt, 'receivedAt');
    const document = receiptDocumentOf(dto);
    if (receivedAt < shipment.shippedAt) {
      throw new DomainError('VALIDATION_FAILED', 'receivedAt is before the shipment left', { field: 'receivedAt', rule: 'after_shipping' });
    }
    const from = (await this.batches.byId(shipment.fromBatchId))!;
    const fromProduct = (await this.products.byId(from.productId))!;
    const glns = await this.glns([shipment.fromOrganizationId, organizationId], [site.id]);
    const { result, replayed } = await this.idempotency.run(actor, key, `POST /api/v1/shipments/${shipment.id}/receipt`, dto, async (m) => {
      const [locked] = await m.query('SELECT status FROM shipments WHERE id = $1 FOR UPDATE', [shipment.id]) as { status: string }[];
      if (locked.status !== 'in_transit') {
        throw new DomainError('SHIPMENT_ALREADY_RECEIVED', 'This shipment has already been received', { field: 'shipmentId' });
      }
      const lot = await this.batches.createLot(m, {
        organizationId, productId: product.id, siteId: site.id, regionCode: site.regionCode, quantity,
        producedOn: chinaDate(receivedAt), lotCode: dto.lotCode,
      });
      const base = this.config.publicBaseUrl;
      const event = withGlns(receivingEvent(base, {
        eventTime: receivedAt,
        inboundLot: lotUri(base, { gtin: product.gtin, lotCode: lot.lotCode, traceCode: lot.traceCode }),
        fromLot: lotUri(base, { gtin: fromProduct.gtin, lotCode: from.lotCode, traceCode: from.traceCode }),
        quantity, fromOrganizationId: shipment.fromOrganizationId, toOrganizationId: organizationId, toSiteId: site.id,
        referenceDocument: shipment.referenceDocument, referenceDocumentType: shipment.referenceDocumentType, receiptDocument: document,
      }), base, glns);
      const recorded = await this.events.record(m, event, {
        recordedBy: organizationId, batchIds: [lot.id, from.id], organizationIds: [organizationId, shipment.fromOrganizationId], regionCodes: [site.regionCode, from.regionCode],
      });
      await this.graph.addLinks(m, [{
        fromBatchId: from.id, toBatchId: lot.id, eventId: recorded.id, kind: 'shipment', quantity, eventTime: receivedAt.toISOString(),
      }]);
      const receipt = {
        status: 'received' as const, receivedBatchId: lot.id, receivedAt,
        receiptReferenceDocument: document?.number ?? null, receiptReferenceDocumentType: document?.type ?? null,
      };
      await m.update(Shipment, { id: shipment.id }, receipt);
      const updated = { ...shipment, ...receipt };
      const ship = await m.query('SELECT event_id AS "eventId" FROM epcis_event_ids WHERE id = $1', [shipment.shipEventId]) as { eventId: string }[];
      return { ...this.view(updated, ship[0].eventId), receivedBatch: { id: lot.id, lotCode: lot.lotCode, traceCode: lot.traceCode } };
    });
    return { view: result, replayed };
  }

  async transform(actor: Actor, dto: CreateTransformationDto, key?: string): Promise<{ view: TransformationView; replayed: boolean }> {
    const organizationId = requireOwnOrganization(actor);
    const occurredAt = eventInstant(dto.occurredAt, 'occurredAt');
    const inputIds = dto.inputs.map((i) => i.batchId);
    if (new Set(inputIds).size !== inputIds.length) {
      throw new DomainError('VALIDATION_FAILED', 'A lot can be an input only once per transformation', { field: 'inputs', rule: 'unique' });
    }
    const inputs = await Promise.all(dto.inputs.map(async (i, n) => ({
      batch: await this.takeableLot(actor, i.batchId, `inputs[${n}].batchId`),
      quantity: parseQuantity(i.quantity, `inputs[${n}].quantity`),
    })));
    const outputs = await Promise.all(dto.outputs.map(async (o, n) => {
      const quantity = parseQuantity(o.quantity, `outputs[${n}].quantity`);
      if (o.batchId) {
        if (o.productId || o.siteId || o.lotCode) {
          throw new DomainError('VALIDATION_FAILED', `outputs[${n}]: name either an existing batchId or a new lot's productId and siteId`, { field: `outputs[${n}]`, rule: 'one_of' });
        }
        const batch = await this.batches.findWritable(actor, o.batchId).catch((e: unknown) => { throw this.renamed(e, `outputs[${n}].batchId`); });
        return { existing: batch, quantity, productId: batch.productId };
      }
      if (!o.productId || !o.siteId) {
        throw new DomainError('VALIDATION_FAILED', `outputs[${n}] needs productId and siteId (or an existing batchId)`, { field: `outputs[${n}].productId`, rule: 'required' });
      }
      const product = await this.products.findReadable(actor, o.productId);
      const site = await this.sites.findReadable(actor, o.siteId, `outputs[${n}].siteId`);
      if (product.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'Product not found', { field: `outputs[${n}].productId` });
      if (site.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'Site not found', { field: `outputs[${n}].siteId` });
      return { existing: null, quantity, productId: product.id, site, lotCode: o.lotCode };
    }));
    assertYield(inputs.map((i) => i.quantity), outputs.map((o) => o.quantity), this.config.transformationMaxYieldPercent);
    const existingOutputs = outputs.flatMap((o) => (o.existing ? [o.existing.id] : []));
    const productViews = await this.products.byIds([...inputs.map((i) => i.batch.productId), ...outputs.map((o) => o.productId)]);
    const base = this.config.publicBaseUrl;
    const lotOf = (b: Batch) => lotUri(base, { gtin: productViews.get(b.productId)?.gtin ?? null, lotCode: b.lotCode, traceCode: b.traceCode });
    const glns = await this.glns([], outputs.map((o) => o.existing?.siteId ?? o.site!.id));

    const { result, replayed } = await this.idempotency.run(actor, key, 'POST /api/v1/transformations', dto, async (m) => {
      await this.lockLots(m, [...inputIds, ...existingOutputs]);
      if (existingOutputs.length > 0 && await this.graph.wouldCycle(inputIds, existingOutputs, m)) {
        throw new DomainError('TRANSFORMATION_CYCLE', 'An output lot is upstream of (or is) one of the inputs: lots cannot descend from themselves', { field: 'outputs' });
      }
      for (const [n, input] of inputs.entries()) {
        await this.assertCanTake(m, input.batch, input.quantity, `inputs[${n}].quantity`, `inputs[${n}].batchId`);
      }
      const made: { batch: Batch; quantity: Quantity }[] = [];
      for (const o of outputs) {
        const batch = o.existing ?? await this.batches.createLot(m, {
          organizationId, productId: o.productId, siteId: o.site!.id, regionCode: o.site!.regionCode, quantity: o.quantity,
          producedOn: chinaDate(occurredAt), lotCode: o.lotCode,
        });
        made.push({ batch, quantity: o.quantity });
      }
      const siteId = made[0].batch.siteId;
      const event = withGlns(transformationEvent(base, {
        eventTime: occurredAt, kind: dto.kind, siteId,
        inputs: inputs.map((i) => ({ lot: lotOf(i.batch), quantity: i.quantity })),
        outputs: made.map((o) => ({ lot: lotOf(o.batch), quantity: o.quantity })),
      }), base, glns);
      const recorded = await this.events.record(m, event, {
        recordedBy: organizationId,
        batchIds: [...inputs.map((i) => i.batch.id), ...made.map((o) => o.batch.id)],
        organizationIds: [organizationId],
        regionCodes: [...inputs.map((i) => i.batch.regionCode), ...made.map((o) => o.batch.regionCode)],
      });
      await this.graph.addLinks(m, inputs.flatMap((i) => made.map((o) => ({
        fromBatchId: i.batch.id, toBatchId: o.batch.id, eventId: recorded.id, kind: 'transformation' as const,
        quantity: i.quantity, eventTime: occurredAt.toISOString(),
      }))));
      return {
        eventID: recorded.eventId,
        kind: dto.kind,
        inputs: inputs.map((i) => ({ batchId: i.batch.id, quantity: i.quantity })),
        outputs: made.map((o) => ({ batchId: o.batch.id, lotCode: o.batch.lotCode, traceCode: o.batch.traceCode, quantity: o.quantity })),
      };
    });
    announceBatchChanged(null, [...result.outputs.map((o) => o.batchId), ...result.inputs.map((i) => i.batchId)]);
    return { view: result, replayed };
  }

  async listShipments(actor: Actor, direction: 'inbound' | 'outbound' | undefined, status: string | undefined): Promise<{ items: ShipmentView[] }> {
    if (!actor.organizationId && !isAdmin(actor)) return { items: [] };
    const qb = this.shipments.createQueryBuilder('s')
      .leftJoin('epcis_event_ids', 'e', 'e.id = s.ship_event_id').addSelect('e.event_id', 'event_id');
    if (!isAdmin(actor)) {
      if (direction === 'inbound') qb.andWhere('s.to_organization_id = :org', { org: actor.organizationId });
      else if (direction === 'outbound') qb.andWhere('s.from_organization_id = :org', { org: actor.organizationId });
      else qb.andWhere('(s.to_organization_id = :org OR s.from_organization_id = :org)', { org: actor.organizationId });
    }
    if (status) qb.andWhere('s.status = :status', { status });
    const { entities, raw } = await qb.orderBy('s.created_at', 'DESC').limit(200).getRawAndEntities();
    return { items: entities.map((s, i) => this.view(s, (raw[i] as { event_id: string }).event_id)) };
  }

  /** Every shipment out of these lots, received or in transit, with its shipping event's EPCIS eventID (a recall reports each). */
  async shipmentsFrom(batchIds: string[]): Promise<(Shipment & { eventID: string })[]> {
    if (batchIds.length === 0) return [];
    const { entities, raw } = await this.shipments.createQueryBuilder('s')
      .leftJoin('epcis_event_ids', 'e', 'e.id = s.ship_event_id').addSelect('e.event_id', 'event_id')
      .where('s.from_batch_id = ANY(:ids)', { ids: batchIds }).orderBy('s.shipped_at').addOrderBy('s.id').getRawAndEntities();
    return entities.map((s, i) => Object.assign(s, { eventID: (raw[i] as { event_id: string }).event_id }));
  }

  /**
   * The movements of these lots between two instants, for traceability records (FSMA 204 shipping,
   * receiving and transformation CTEs): shipments out of them, shipments received into them, and the
   * transformations that made them (with every input). No access check: the caller scoped the lots.
   */
  async movementsOf(batchIds: string[], from: Date, to: Date, reader?: EntityManager): Promise<TraceabilityMovements> {
    if (batchIds.length === 0) return { shipped: [], received: [], transformations: [], derived: new Set() };
    const shipments = repositoryIn(this.shipments, reader);
    const shipped = await shipments.createQueryBuilder('s')
      .where('s.from_batch_id = ANY(:ids)', { ids: batchIds }).andWhere('s.shipped_at >= :from AND s.shipped_at < :to', { from, to })
      .orderBy('s.shipped_at').addOrderBy('s.id').getMany();
    const received = await shipments.createQueryBuilder('s')
      .where('s.received_batch_id = ANY(:ids)', { ids: batchIds }).andWhere('s.received_at >= :from AND s.received_at < :to', { from, to })
      .orderBy('s.received_at').addOrderBy('s.id').getMany();
    const links = await shipments.manager.query(
      `SELECT from_batch_id AS "fromBatchId", to_batch_id AS "toBatchId", event_id AS "eventId", quantity_value AS value, quantity_unit AS unit, event_time AS "eventTime"
         FROM lot_links WHERE kind = 'transformation' AND to_batch_id = ANY($1::uuid[]) AND event_time >= $2 AND event_time < $3
        ORDER BY event_time, id`, [batchIds, from, to]) as { fromBatchId: string; toBatchId: string; eventId: string; value: string; unit: string; eventTime: Date }[];
    const byOutput = new Map<string, TraceabilityMovements['transformations'][number]>();
    for (const l of links) {
      const key = `${l.eventId}:${l.toBatchId}`;
      const t = byOutput.get(key) ?? { eventId: l.eventId, outputBatchId: l.toBatchId, eventTime: new Date(l.eventTime), inputs: [] };
      t.inputs.push({ batchId: l.fromBatchId, quantity: { value: formatDecimal(l.value), unit: l.unit as Quantity['unit'] } });
      byOutput.set(key, t);
    }
    const derived = await shipments.manager.query('SELECT DISTINCT to_batch_id AS id FROM lot_links WHERE to_batch_id = ANY($1::uuid[])', [batchIds]) as { id: string }[];
    return { shipped, received, transformations: [...byOutput.values()], derived: new Set(derived.map((d) => d.id)) };
  }

  async trace(actor: Actor, batchId: string, direction: Direction = 'both', depth = 10): Promise<TraceView> {
    const root = await this.batches.findReadable(actor, batchId);
    return this.traceFrom(root.id, direction, depth);
  }

  /** The lot graph with its lots described (no access check: callers check the root). */
  /**
   * Every lot made from or sold out of this one (any depth up to 50), in the caller's transaction:
   * the lots a failed sample puts under review. Cycles cannot occur (transformations refuse them);
   * UNION still stops a malformed graph from looping.
   */
  async downstreamIds(manager: EntityManager, batchId: string): Promise<string[]> {
    const rows = await manager.query(
      `WITH RECURSIVE down(id, depth) AS (
         SELECT to_batch_id, 1 FROM lot_links WHERE from_batch_id = $1
         UNION
         SELECT l.to_batch_id, d.depth + 1 FROM lot_links l JOIN down d ON l.from_batch_id = d.id WHERE d.depth < 50
       ) SELECT DISTINCT id FROM down WHERE id <> $1`,
      [batchId],
    ) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async traceFrom(rootId: string, direction: Direction, depth: number): Promise<TraceView> {
    const graph = await this.graph.walk(rootId, direction, depth);
    const base = this.config.publicBaseUrl;
    const lots = graph.nodes.map((n): LotView => ({
      id: n.batchId,
      lotCode: n.lotCode,
      lotUri: lotUri(base, { gtin: n.gtin, lotCode: n.lotCode, traceCode: n.traceCode }),
      organization: { id: n.organizationId, name: n.organizationName },
      product: { id: n.productId, name: n.productName, gtin: n.gtin },
      quantity: { value: formatDecimal(n.value), unit: n.unit as Quantity['unit'] },
      producedOn: n.producedOn,
      regionCode: n.regionCode,
      regionName: findRegion(n.regionCode)?.fullName ?? n.regionCode,
      status: n.status as Batch['status'],
      depth: n.depth,
    })).sort((a, b) => a.depth - b.depth);
    return { root: rootId, direction, depth, lots, events: graph.edges };
  }

  /** Lots with organisation, product and place, in the order given. */
  async describe(nodes: { batchId: string; depth: number }[]): Promise<LotView[]> {
    const batches = new Map((await this.batches.byIds(nodes.map((n) => n.batchId))).map((b) => [b.id, b]));
    const products = await this.products.byIds([...batches.values()].map((b) => b.productId));
    const orgs = await this.organizations.summaries([...batches.values()].map((b) => b.organizationId));
    const base = this.config.publicBaseUrl;
    return nodes.flatMap((n) => {
      const b = batches.get(n.batchId);
      if (!b) return [];
      const p = products.get(b.productId);
      return [{
        id: b.id,
        lotCode: b.lotCode,
        lotUri: lotUri(base, { gtin: p?.gtin ?? null, lotCode: b.lotCode, traceCode: b.traceCode }),
        organization: { id: b.organizationId, name: orgs.get(b.organizationId)?.name ?? '' },
        product: { id: b.productId, name: p?.name ?? '', gtin: p?.gtin ?? null },
        quantity: { value: formatDecimal(b.quantityValue), unit: b.quantityUnit as Quantity['unit'] },
        producedOn: b.producedOn,
        regionCode: b.regionCode,
        regionName: findRegion(b.regionCode)?.fullName ?? b.regionCode,
        status: b.status,
        depth: n.depth,
      }];
    }).sort((a, b) => a.depth - b.depth);
  }

  /** May the actor start a recall from this lot (its owner, an admin, or a regulator of its region)? */
  async recallableBy(actor: Actor, batchId: string): Promise<Batch> {
    const batch = await this.batches.findReadable(actor, batchId);
    const owner = (actor.role === 'org_admin' || actor.role === 'operator') && actor.organizationId === batch.organizationId;
    const regulator = regulatorPrefix(actor) !== null && canRead(actor, batch.organizationId, [batch.regionCode]);
    if (!owner && !regulator && !isAdmin(actor)) {
      throw new DomainError('FORBIDDEN', 'Only the lot owner, an admin or a regulator of its region can recall it');
    }
    return batch;
  }

  private view(s: Shipment, eventId: string): ShipmentView {
    return {
      id: s.id,
      fromOrganizationId: s.fromOrganizationId,
      fromBatchId: s.fromBatchId,
      toOrganizationId: s.toOrganizationId,
      quantity: { value: formatDecimal(s.quantityValue), unit: s.quantityUnit as Quantity['unit'] },
      referenceDocument: s.referenceDocument,
      referenceDocumentType: s.referenceDocumentType,
      receiptReferenceDocument: s.receiptReferenceDocument ?? null,
      receiptReferenceDocumentType: s.receiptReferenceDocumentType ?? null,
      status: s.status,
      shippedAt: s.shippedAt.toISOString(),
      receivedBatchId: s.receivedBatchId,
      receivedAt: s.receivedAt ? s.receivedAt.toISOString() : null,
      eventID: eventId,
    };
  }

  private lotQuantity(b: Batch): Quantity {
    return { value: formatDecimal(b.quantityValue), unit: b.quantityUnit as Quantity['unit'] };
  }

  /**
   * A lot this actor may take from (ship, consume): its organisation's own (the platform admin:
   * any). Another organisation's lot is not found (404), exactly like a lot that does not exist.
   * Shared by shipments, transformations and EPCIS captures.
   */
  async takeableLot(actor: Actor, batchId: string, field = 'batchId'): Promise<Batch> {
    if (isAdmin(actor)) {
      const batch = await this.batches.byId(batchId);
      if (!batch) throw new DomainError('NOT_FOUND', 'Batch not found', { field });
      return batch;
    }
    return this.batches.findWritable(actor, batchId).catch((e: unknown) => { throw this.renamed(e, field); });
  }

  /** Serialises movements out of these lots until the caller's transaction ends (fixed order: no deadlock). */
  async lockLots(m: EntityManager, batchIds: string[]): Promise<void> {
    for (const id of [...new Set(batchIds)].sort()) await this.lockLot(m, id);
  }

  /**
   * Mass balance of one movement, under the lot's lock (lockLots) in the movement's transaction:
   * the lot is active and has `quantity` left after everything that already left it and `pending`
   * (what earlier steps of the same movement take and have not written yet). A null quantity (an
   * EPCIS event naming items of the lot, not an amount) checks the status only.
   */
  async assertCanTake(m: EntityManager, batch: Batch, quantity: Quantity | null, field = 'quantity', lotField = 'batchId', pending: Quantity[] = [],
    exceptUnit: string | null = null): Promise<void> {
    await this.assertActive(m, batch.id, lotField);
    if (!quantity) return;
    const reserved: Quantity[] = [];
    for (const provider of this.reservations) reserved.push(...await provider(m, batch.id, exceptUnit));
    assertAvailable(this.lotQuantity(batch), [...await this.taken(m, batch.id), ...reserved, ...pending], quantity, field);
  }

  private readonly reservations: ReservationProvider[] = [];

  /**
   * Another feature holding part of a lot that has not left it yet (logistics: lots packed on units not
   * yet shipped) reports it here, so no movement takes what is already packed. `exceptUnit` is the unit
   * being shipped itself.
   */
  registerReservations(provider: ReservationProvider): void {
    this.reservations.push(provider);
  }

  /** Everything that has left a lot: shipments (in transit or received) and transformation inputs. */
  private async taken(m: EntityManager, batchId: string): Promise<Quantity[]> {
    const shipped = await m.query('SELECT quantity_value AS value, quantity_unit AS unit FROM shipments WHERE from_batch_id = $1', [batchId]) as { value: string; unit: string }[];
    return [
      ...shipped.map((r) => ({ value: formatDecimal(r.value), unit: r.unit as Quantity['unit'] })),
      ...await this.graph.consumedByTransformations(m, batchId),
    ];
  }

  /** Serialises every movement out of one lot (mass balance under concurrency). */
  private async lockLot(m: EntityManager, batchId: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [batchId]);
  }

  /** Read under the lot lock, in the movement's transaction (a read outside it would wait forever on the embedded database's one connection). */
  private async assertActive(m: EntityManager, batchId: string, field = 'batchId'): Promise<void> {
    const fresh = await this.batches.byId(batchId, m);
    if (!fresh || fresh.status !== 'active') {
      throw new DomainError('BATCH_NOT_ACTIVE', `A lot that is ${fresh?.status ?? 'missing'} cannot be shipped or transformed`, { field, status: fresh?.status });
    }
  }

  private renamed(error: unknown, field: string): unknown {
    if (error instanceof DomainError && error.code === 'NOT_FOUND') return new DomainError('NOT_FOUND', 'Batch not found', { field });
    return error;
  }
}
