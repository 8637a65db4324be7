import { buildDigitalLink } from '../../../../libs/codes';
import { formatDecimal } from '../../../../libs/decimal';
import { DomainError } from '../../../../libs/errors';
import { type Quantity, uncefactQuantity } from '../../../../libs/quantity';

/**
 * How platform records appear in EPCIS 2.0. Lots are class-level identifiers: the GS1 Digital
 * Link `https://{host}/01/{GTIN-14}/10/{lot}` when the product has a GTIN, else the lot's trace
 * URL `https://{host}/t/{code}`. Parties and sites have no GLN here, so they are URIs on our host:
 * `https://{host}/party/{organisationId}` and `https://{host}/site/{siteId}`.
 */
const CHINA_OFFSET = '+08:00';

/** Our extension namespace (declared in the @context of every document we write). */
export const TIANFU_PREFIX = 'tianfu';
export function tianfuNamespace(baseUrl: string): string {
  return `${baseUrl}/ns/epcis/`;
}

export interface LotRef {
  gtin: string | null;
  lotCode: string;
  traceCode: string | null;
}

export function lotUri(baseUrl: string, lot: LotRef): string {
  return lot.gtin ? buildDigitalLink(baseUrl, { gtin: lot.gtin, lot: lot.lotCode }) : `${baseUrl}/t/${lot.traceCode ?? ''}`;
}

function partyUri(baseUrl: string, organizationId: string): string {
  return `${baseUrl}/party/${organizationId}`;
}

function siteUri(baseUrl: string, siteId: string): string {
  return `${baseUrl}/site/${siteId}`;
}

/** GLNs of organisations (party, AI 417) and sites (location, AI 414), by id; those without one are absent. */
export interface Glns {
  parties: Map<string, string>;
  sites: Map<string, string>;
}

/**
 * Our party and site URIs replaced by the canonical GS1 Digital Links of their GLNs where they have one
 * (`https://id.gs1.org/417/{gln}` for a party, `…/414/{gln}` for a location), as partners' EPCIS
 * systems expect; the rest stays on our host.
 */
export function withGlns(event: Record<string, unknown>, baseUrl: string, glns: Glns): Record<string, unknown> {
  const party = (uri: unknown) => {
    const id = typeof uri === 'string' && uri.startsWith(`${baseUrl}/party/`) ? uri.slice(baseUrl.length + 7) : null;
    const gln = id ? glns.parties.get(id) : undefined;
    return gln ? `https://id.gs1.org/417/${gln}` : uri;
  };
  const site = (place: unknown) => {
    const id = (place as { id?: unknown } | undefined)?.id;
    const siteId = typeof id === 'string' && id.startsWith(`${baseUrl}/site/`) ? id.slice(baseUrl.length + 6) : null;
    const gln = siteId ? glns.sites.get(siteId) : undefined;
    return gln ? { ...(place as object), id: `https://id.gs1.org/414/${gln}` } : place;
  };
  const out: Record<string, unknown> = { ...event };
  if (out.readPoint) out.readPoint = site(out.readPoint);
  if (out.bizLocation) out.bizLocation = site(out.bizLocation);
  if (Array.isArray(out.sourceList)) out.sourceList = out.sourceList.map((s: { source?: unknown }) => ({ ...s, source: party(s.source) }));
  if (Array.isArray(out.destinationList)) {
    out.destinationList = out.destinationList.map((d: { destination?: unknown }) => ({ ...d, destination: party(d.destination) }));
  }
  return out;
}

const PARTY = /\/party\/([0-9a-f-]{36})$/i;
/** The organisation id of one of our party URIs, or null for anyone else's identifier. */
export function partyIdOf(baseUrl: string, uri: string): string | null {
  if (!uri.startsWith(`${baseUrl}/party/`)) return null;
  return PARTY.exec(uri)?.[1]?.toLowerCase() ?? null;
}

/** EPCIS quantity element: masses in UN/CEFACT units (斤 as kg), counted units as a bare count. */
export function quantityElement(epcClass: string, q: Quantity): Record<string, unknown> {
  const { value, uom } = uncefactQuantity(q);
  const quantity = Number(formatDecimal(value));
  return uom ? { epcClass, quantity, uom } : { epcClass, quantity };
}

/**
 * The movement's documents: the shipment's (a despatch advice unless typed otherwise), then the
 * receiver's own for a receipt.
 */
function bizTransactions(baseUrl: string, f: { referenceDocument: string | null; referenceDocumentType?: string | null; receiptDocument?: ReferenceDocument | null }): Record<string, unknown> {
  const { referenceDocument, receiptDocument } = f;
  const shipmentType = (REFERENCE_DOCUMENT_TYPES as readonly string[]).includes(f.referenceDocumentType ?? '') ? f.referenceDocumentType as ReferenceDocumentType : 'desadv';
  const list = [
    ...(referenceDocument ? [bizTransactionOf(baseUrl, { type: shipmentType, number: referenceDocument })] : []),
    ...(receiptDocument ? [bizTransactionOf(baseUrl, receiptDocument)] : []),
  ];
  return list.length ? { bizTransactionList: list } : {};
}

/** A document named on a movement (FSMA 204 KDE: reference document type and number). */
export interface ReferenceDocument {
  type: ReferenceDocumentType | null;
  number: string;
}

/** CBV 2.0 business transaction types (§ 8.5) of our reference document types; 'other' has none. */
const CBV_TRANSACTION_TYPES: Record<ReferenceDocumentType, string | null> = {
  desadv: 'desadv', bill_of_lading: 'bol', invoice: 'inv', purchase_order: 'po', waybill: 'bol', receiving_note: 'recadv', other: null,
};

/** The document a receipt names (number and optional type), or null; a type without a number is refused. */
export function receiptDocumentOf(input: { referenceDocument?: string | null; referenceDocumentType?: ReferenceDocumentType | null }): ReferenceDocument | null {
  const number = input.referenceDocument?.trim();
  if (!number) {
    if (input.referenceDocumentType) {
      throw new DomainError('VALIDATION_FAILED', 'referenceDocumentType needs the document\'s number in referenceDocument', { field: 'referenceDocument', rule: 'required_with_type' });
    }
    return null;
  }
  return { type: input.referenceDocumentType ?? null, number };
}

/**
 * The EPCIS bizTransaction of a document: its CBV type when it has one, and a URI under
 * `{base}/{type}/` (`doc` when untyped) naming its number.
 */
export function bizTransactionOf(baseUrl: string, d: ReferenceDocument): { type?: string; bizTransaction: string } {
  const type = d.type ? CBV_TRANSACTION_TYPES[d.type] : null;
  const uri = `${baseUrl}/${type ?? 'doc'}/${encodeURIComponent(d.number)}`;
  return type ? { type, bizTransaction: uri } : { bizTransaction: uri };
}

/** FSMA 204 reference document types (21 CFR 1.1340/1.1345: bill of lading, invoice, purchase order, advance ship notice …). */
export const REFERENCE_DOCUMENT_TYPES = ['desadv', 'bill_of_lading', 'invoice', 'purchase_order', 'waybill', 'receiving_note', 'other'] as const;
export type ReferenceDocumentType = (typeof REFERENCE_DOCUMENT_TYPES)[number];

export interface ShippingFacts {
  /** The shipment's URI: two equal loads shipped at the same instant are still two events. */
  shipment: string;
  eventTime: Date;
  lot: string;
  quantity: Quantity;
  fromOrganizationId: string;
  fromSiteId: string;
  toOrganizationId: string;
  referenceDocument: string | null;
  /** What kind of document referenceDocument is (a despatch advice when absent). */
  referenceDocumentType?: string | null;
}

export function shippingEvent(baseUrl: string, f: ShippingFacts): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: f.eventTime.toISOString(),
    eventTimeZoneOffset: CHINA_OFFSET,
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    quantityList: [quantityElement(f.lot, f.quantity)],
    readPoint: { id: siteUri(baseUrl, f.fromSiteId) },
    ...bizTransactions(baseUrl, f),
    sourceList: [{ type: 'owning_party', source: partyUri(baseUrl, f.fromOrganizationId) }],
    destinationList: [{ type: 'owning_party', destination: partyUri(baseUrl, f.toOrganizationId) }],
    [`${TIANFU_PREFIX}:shipment`]: f.shipment,
  };
}

export interface ReceivingFacts {
  eventTime: Date;
  inboundLot: string;
  fromLot: string;
  quantity: Quantity;
  fromOrganizationId: string;
  toOrganizationId: string;
  toSiteId: string;
  referenceDocument: string | null;
  /** What kind of document referenceDocument is (a despatch advice when absent). */
  referenceDocumentType?: string | null;
  /** The receiver's own document for the receipt (after the shipment's despatch advice in bizTransactionList). */
  receiptDocument?: ReferenceDocument | null;
}

/** Receipt: the inbound lot is ADDed at the receiver's site, naming the lot it came from. */
export function receivingEvent(baseUrl: string, f: ReceivingFacts): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: f.eventTime.toISOString(),
    eventTimeZoneOffset: CHINA_OFFSET,
    action: 'ADD',
    bizStep: 'receiving',
    disposition: 'in_progress',
    quantityList: [quantityElement(f.inboundLot, f.quantity)],
    bizLocation: { id: siteUri(baseUrl, f.toSiteId) },
    ...bizTransactions(baseUrl, f),
    sourceList: [{ type: 'owning_party', source: partyUri(baseUrl, f.fromOrganizationId) }],
    destinationList: [{ type: 'owning_party', destination: partyUri(baseUrl, f.toOrganizationId) }],
    [`${TIANFU_PREFIX}:receivedFromLot`]: f.fromLot,
  };
}

export const TRANSFORMATION_KINDS = ['mixing', 'splitting', 'repacking', 'processing'] as const;
export type TransformationKind = (typeof TRANSFORMATION_KINDS)[number];

export interface TransformationFacts {
  eventTime: Date;
  kind: TransformationKind;
  inputs: { lot: string; quantity: Quantity }[];
  outputs: { lot: string; quantity: Quantity }[];
  siteId: string;
}

/** CBV has no mixing or splitting step: repacking is `repackaging`, the rest `commissioning` of new lots. */
export function transformationEvent(baseUrl: string, f: TransformationFacts): Record<string, unknown> {
  return {
    type: 'TransformationEvent',
    eventTime: f.eventTime.toISOString(),
    eventTimeZoneOffset: CHINA_OFFSET,
    inputQuantityList: f.inputs.map((i) => quantityElement(i.lot, i.quantity)),
    outputQuantityList: f.outputs.map((o) => quantityElement(o.lot, o.quantity)),
    bizStep: f.kind === 'repacking' ? 'repackaging' : 'commissioning',
    disposition: 'active',
    bizLocation: { id: siteUri(baseUrl, f.siteId) },
    [`${TIANFU_PREFIX}:transformationKind`]: f.kind,
  };
}

/** A recall: every affected lot gets the persistent disposition `recalled`. */
export function recallEvent(baseUrl: string, f: { eventTime: Date; lots: string[]; recallId: string; reason: string }): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: f.eventTime.toISOString(),
    eventTimeZoneOffset: CHINA_OFFSET,
    action: 'OBSERVE',
    bizStep: 'holding',
    disposition: 'recalled',
    persistentDisposition: { set: ['recalled'] },
    quantityList: f.lots.map((epcClass) => ({ epcClass })),
    [`${TIANFU_PREFIX}:recall`]: `${baseUrl}/api/v1/recalls/${f.recallId}`,
    [`${TIANFU_PREFIX}:reason`]: f.reason,
  };
}

/** A logistic unit in EPCIS: the canonical GS1 Digital Link of its SSCC (AI 00). */
export function ssccUri(sscc: string): string {
  return `https://id.gs1.org/00/${sscc}`;
}

export interface AggregationFacts {
  eventTime: Date;
  sscc: string;
  /** ADD packs the lots onto the unit, DELETE unpacks them. */
  action: 'ADD' | 'DELETE';
  children: { lot: string; quantity: Quantity }[];
  siteId: string;
}

/** Lots packed onto (ADD, `packing`) or taken off (DELETE, `unpacking`) a logistic unit. */
export function aggregationEvent(baseUrl: string, f: AggregationFacts): Record<string, unknown> {
  return {
    type: 'AggregationEvent',
    eventTime: f.eventTime.toISOString(),
    eventTimeZoneOffset: CHINA_OFFSET,
    parentID: ssccUri(f.sscc),
    action: f.action,
    bizStep: f.action === 'ADD' ? 'packing' : 'unpacking',
    disposition: f.action === 'ADD' ? 'in_progress' : 'active',
    readPoint: { id: siteUri(baseUrl, f.siteId) },
    childQuantityList: f.children.map((c) => quantityElement(c.lot, c.quantity)),
  };
}

export interface UnitShippingFacts {
  eventTime: Date;
  sscc: string;
  lots: { lot: string; quantity: Quantity }[];
  fromOrganizationId: string;
  fromSiteId: string;
  toOrganizationId: string;
  referenceDocument: string | null;
  /** What kind of document referenceDocument is (a despatch advice when absent). */
  referenceDocumentType?: string | null;
}

/** A logistic unit shipped: the SSCC is observed leaving, with the lots aggregated on it. */
export function unitShippingEvent(baseUrl: string, f: UnitShippingFacts): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: f.eventTime.toISOString(),
    eventTimeZoneOffset: CHINA_OFFSET,
    epcList: [ssccUri(f.sscc)],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    quantityList: f.lots.map((l) => quantityElement(l.lot, l.quantity)),
    readPoint: { id: siteUri(baseUrl, f.fromSiteId) },
    ...bizTransactions(baseUrl, f),
    sourceList: [{ type: 'owning_party', source: partyUri(baseUrl, f.fromOrganizationId) }],
    destinationList: [{ type: 'owning_party', destination: partyUri(baseUrl, f.toOrganizationId) }],
  };
}

export interface UnitReceivingFacts {
  eventTime: Date;
  sscc: string;
  /** Each inbound lot the receiver booked, with the shipped lot it came from. */
  lots: { inboundLot: string; fromLot: string; quantity: Quantity }[];
  fromOrganizationId: string;
  toOrganizationId: string;
  toSiteId: string;
  referenceDocument: string | null;
  referenceDocumentType?: string | null;
  receiptDocument?: ReferenceDocument | null;
}

/** A logistic unit received by scanning its SSCC: the receiver's inbound lots are ADDed at its site. */
export function unitReceivingEvent(baseUrl: string, f: UnitReceivingFacts): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: f.eventTime.toISOString(),
    eventTimeZoneOffset: CHINA_OFFSET,
    epcList: [ssccUri(f.sscc)],
    action: 'ADD',
    bizStep: 'receiving',
    disposition: 'in_progress',
    quantityList: f.lots.map((l) => quantityElement(l.inboundLot, l.quantity)),
    bizLocation: { id: siteUri(baseUrl, f.toSiteId) },
    ...bizTransactions(baseUrl, f),
    sourceList: [{ type: 'owning_party', source: partyUri(baseUrl, f.fromOrganizationId) }],
    destinationList: [{ type: 'owning_party', destination: partyUri(baseUrl, f.toOrganizationId) }],
    [`${TIANFU_PREFIX}:receivedFromLots`]: f.lots.map((l) => l.fromLot),
  };
}
