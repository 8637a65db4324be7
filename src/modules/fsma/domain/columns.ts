/**
 * The FSMA 204 electronic sortable spreadsheet (21 CFR 1.1455(c)(3)(ii)): one row per critical
 * tracking event, its key data elements as columns.
 *
 * Source of the columns: the key data elements of 21 CFR part 1 subpart S — § 1.1325 harvesting,
 * § 1.1330 cooling and initial packing, § 1.1340 shipping, § 1.1345 receiving, § 1.1350
 * transformation (FDA final rule "Requirements for Additional Traceability Records for Certain
 * Foods", 87 FR 70910, 21 Nov 2022) — named as FDA's sortable-spreadsheet template and the Produce
 * Traceability Initiative's FSMA 204 Implementation Guidance (2024-02-12) name them (Traceability Lot
 * Code, Traceability Lot Code Source, Product Description, Quantity, Unit of Measure, Location
 * Description, Immediate Previous Source, Immediate Subsequent Recipient, Reference Document Type,
 * Reference Document Number). FDA did publish a downloadable electronic sortable spreadsheet
 * template (mid-2024, with its Food Traceability Rule resources); re-checked 2026-12-05, it was still
 * seen only through secondary descriptions and a third-party worked example, not the workbook itself,
 * so the column wording stays unchecked against it. A column whose exact template wording differs is
 * renamed here only.
 *
 * EU 178/2002 art. 18 and 931/2011 art. 3 add the names **and addresses** of the dispatching and
 * receiving food business operators; they are the last four columns.
 */
export const FSMA_COLUMNS = [
  'Critical Tracking Event',
  'Event Date',
  'Event Time',
  'Traceability Lot Code',
  'Traceability Lot Code Source',
  'Traceability Lot Code Source Reference (GLN)',
  'Product Description',
  'Commodity',
  'Variety',
  'GTIN',
  'Quantity',
  'Unit of Measure',
  'Location Description',
  'Location Identifier (GLN)',
  'Harvest Date',
  'Field or Growing Area',
  'Harvester Business Name',
  'Harvester Phone',
  'Cooling Location',
  'Cooling Date',
  'Initial Packing Date',
  'Immediate Previous Source',
  'Immediate Subsequent Recipient',
  'Input Traceability Lot Codes',
  'Reference Document Type',
  'Reference Document Number',
  'SSCC',
  'Dispatcher Name (EU 931/2011)',
  'Dispatcher Address (EU 931/2011)',
  'Consignee Name (EU 931/2011)',
  'Consignee Address (EU 931/2011)',
] as const;

export type FsmaColumn = (typeof FSMA_COLUMNS)[number];
export type FsmaRow = Partial<Record<FsmaColumn, string>>;

/** Each column's position in FSMA_COLUMNS. */
export const FSMA_INDEX = Object.fromEntries(FSMA_COLUMNS.map((c, i) => [c, i])) as Record<FsmaColumn, number>;

/**
 * A row as its cells in column order (undefined: the event has no such element). Rows are built
 * and written this way, not as objects: 40,000 rows of 31 spread objects cost more than writing them.
 */
export type FsmaCells = (string | undefined)[];

/** The row as an object of the columns it has (the JSON form). */
export function cellsToRow(cells: FsmaCells): FsmaRow {
  const row: FsmaRow = {};
  for (let i = 0; i < FSMA_COLUMNS.length; i++) if (cells[i] !== undefined) row[FSMA_COLUMNS[i]] = cells[i];
  return row;
}

export type CriticalTrackingEvent = 'Harvesting' | 'Cooling' | 'Initial Packing' | 'Shipping' | 'Receiving' | 'Transformation';

/** Where something is, as FSMA's "location description": business name, address (and region). */
export interface Place {
  business: string;
  address: string | null;
  region: string | null;
  gln: string | null;
}

/** "Business name, address" (the region when there is no street address). */
export function describePlace(p: Place | null | undefined): string {
  if (!p) return '';
  const where = p.address ?? p.region;
  return where ? `${p.business}, ${where}` : p.business;
}

const CHINA_OFFSET_MS = 8 * 3600_000;

/** Date and time of an instant in China (UTC+08:00), as the spreadsheet prints them. */
export function chinaDateAndTime(at: Date): { date: string; time: string } {
  const iso = new Date(at.getTime() + CHINA_OFFSET_MS).toISOString();
  return { date: iso.slice(0, 10), time: `${iso.slice(11, 19)}+08:00` };
}

const ORDER: Record<CriticalTrackingEvent, number> = {
  Harvesting: 0, Cooling: 1, 'Initial Packing': 2, Transformation: 3, Shipping: 4, Receiving: 5,
};

const CTE = FSMA_INDEX['Critical Tracking Event'];
const DATE = FSMA_INDEX['Event Date'];
const TIME = FSMA_INDEX['Event Time'];
const TLC = FSMA_INDEX['Traceability Lot Code'];

/** Sorted as an investigator reads them: by date and time, then lot, then the order events happen in (code-point order: fast and stable). */
export function sortCells(rows: FsmaCells[]): FsmaCells[] {
  const keyed = rows.map((r) => ({
    r, key: `${r[DATE] ?? ''} ${r[TIME] ?? ''}\u0000${r[TLC] ?? ''}\u0000${ORDER[r[CTE] as CriticalTrackingEvent]}`,
  }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.r);
}
