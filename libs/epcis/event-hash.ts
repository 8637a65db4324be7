import { createHash } from 'node:crypto';

/**
 * CBV 2.0 event hash ID (CBV §8.9): a canonical pre-hash string of the event's content, hashed
 * with SHA-256 and written as `ni:///sha-256;{hex}?ver=CBV2.0`.
 *
 * Written by hand: the npm EPCIS SDK (epcis2.js) does not install from the registry (it pins a
 * placeholder `fs` package that no longer exists) and pulls in ajv 7, superagent and crypto-js.
 *
 * What the canonical form does here: the CBV property order; `eventType` first; eventTime in UTC
 * with milliseconds; bare CBV words and `urn:epcglobal:cbv:…` URNs written as GS1 Web URIs
 * (`https://ref.gs1.org/cbv/BizStep-shipping`); list elements sorted (UTF-16 code unit order, the
 * same as ASCII order for identifiers); numbers without trailing zeros; eventID, recordTime,
 * errorDeclaration and certificationInfo left out; user extensions expanded with the document's
 * @context prefixes and appended in sorted order. Not done: rewriting EPC URNs as canonical
 * GS1 Digital Links (identifiers are hashed as written), so a URN event and its Digital Link twin
 * get different hashes.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Order = [name: string, children: Order | null][];

const QUANTITY: Order = [['epcClass', null], ['quantity', null], ['uom', null]];

const PROP_ORDER: Order = [
  ['eventTime', null],
  ['eventTimeZoneOffset', null],
  ['epcList', null],
  ['parentID', null],
  ['inputEPCList', null],
  ['childEPCs', null],
  ['quantityList', QUANTITY],
  ['childQuantityList', QUANTITY],
  ['inputQuantityList', QUANTITY],
  ['outputEPCList', null],
  ['outputQuantityList', QUANTITY],
  ['action', null],
  ['transformationID', null],
  ['bizStep', null],
  ['disposition', null],
  ['persistentDisposition', [['set', null], ['unset', null]]],
  ['readPoint', [['id', null]]],
  ['bizLocation', [['id', null]]],
  ['bizTransactionList', [['type', null], ['bizTransaction', null]]],
  ['sourceList', [['type', null], ['source', null]]],
  ['destinationList', [['type', null], ['destination', null]]],
  ['sensorElementList', [
    ['sensorMetadata', [['time', null], ['startTime', null], ['endTime', null], ['deviceID', null], ['deviceMetadata', null],
      ['rawData', null], ['dataProcessingMethod', null], ['bizRules', null]]],
    ['sensorReport', [['type', null], ['exception', null], ['deviceID', null], ['deviceMetadata', null], ['rawData', null],
      ['dataProcessingMethod', null], ['time', null], ['microorganism', null], ['chemicalSubstance', null], ['value', null],
      ['component', null], ['stringValue', null], ['booleanValue', null], ['hexBinaryValue', null], ['uriValue', null],
      ['minValue', null], ['maxValue', null], ['meanValue', null], ['sDev', null], ['percRank', null], ['percValue', null],
      ['uom', null], ['coordinateReferenceSystem', null]]],
  ]],
  ['ilmd', null],
];

const EXCLUDED = new Set(['type', 'eventID', 'recordTime', 'errorDeclaration', 'certificationInfo', '@context']);
const ORDERED = new Set(PROP_ORDER.map(([name]) => name));
const EPC_LISTS = new Set(['epcList', 'inputEPCList', 'childEPCs', 'outputEPCList']);

/** CBV vocabularies whose bare words become Web URIs, by the field that carries them. */
const CBV_VOCABULARY: Record<string, string> = {
  bizStep: 'BizStep', disposition: 'Disp', set: 'Disp', unset: 'Disp',
};
const CBV_TYPE_VOCABULARY: Record<string, string> = {
  bizTransactionList: 'BTT', sourceList: 'SDT', destinationList: 'SDT',
};
const CBV_URN = /^urn:epcglobal:cbv:(bizstep|disp|btt|sdt|er):(.+)$/;
const URN_VOCABULARY: Record<string, string> = { bizstep: 'BizStep', disp: 'Disp', btt: 'BTT', sdt: 'SDT', er: 'ER' };

function cbvUri(vocabulary: string, value: string): string {
  const urn = CBV_URN.exec(value);
  if (urn) return `https://ref.gs1.org/cbv/${URN_VOCABULARY[urn[1]]}-${urn[2]}`;
  return /^[a-z_]+$/.test(value) ? `https://ref.gs1.org/cbv/${vocabulary}-${value}` : value;
}

/** `2005-04-03T20:33:31.116000-06:00` → `2005-04-04T02:33:31.116Z` (milliseconds, rounded). */
export function canonicalTime(value: string): string {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i.exec(value.trim());
  if (!match) return value.trim();
  const fraction = match[2] ?? '';
  const millis = fraction.length > 3 ? Math.round(Number(`0.${fraction}`) * 1000) : Number(fraction.padEnd(3, '0'));
  const base = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(base)) return value.trim();
  return new Date(base + millis).toISOString();
}

function scalar(value: Json): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return /^-?\d+\.\d*?0+$/.test(trimmed) ? trimmed.replace(/\.?0+$/, '') : trimmed;
  }
  return String(value);
}

interface Context {
  prefixes: Record<string, string>;
}

function expandKey(key: string, ctx: Context): string {
  const colon = key.indexOf(':');
  if (colon < 0) return key;
  const prefix = key.slice(0, colon);
  const namespace = ctx.prefixes[prefix];
  return namespace ? namespace + key.slice(colon + 1) : key;
}

/** Unknown (extension) content: keys expanded, children sorted. */
function generic(name: string, value: Json, ctx: Context): string {
  if (Array.isArray(value)) return value.map((v) => generic(name, v, ctx)).sort().join('');
  if (value !== null && typeof value === 'object') {
    const children = Object.entries(value).filter(([k]) => k !== '@context').map(([k, v]) => generic(expandKey(k, ctx), v, ctx)).sort();
    return name + children.join('');
  }
  return `${name}=${scalar(value)}`;
}

function ordered(name: string, value: Json, order: Order | null, ctx: Context, parent?: string): string {
  if (order === null) {
    if (Array.isArray(value)) return name + value.map((v) => `epc=${scalar(v)}`).sort().join('');
    if (value !== null && typeof value === 'object') return generic(name, value, ctx);
    if (name === 'eventTime' || name === 'time' || name === 'startTime' || name === 'endTime') return `${name}=${canonicalTime(String(value))}`;
    const vocabulary = CBV_VOCABULARY[name] ?? (name === 'type' && parent ? CBV_TYPE_VOCABULARY[parent] : undefined);
    return `${name}=${vocabulary ? cbvUri(vocabulary, scalar(value)) : scalar(value)}`;
  }
  const elements = Array.isArray(value) ? value : [value];
  const rendered = elements.map((element) => {
    if (element === null || typeof element !== 'object' || Array.isArray(element)) return ordered(name, element, null, ctx);
    const obj = element;
    let out = '';
    for (const [child, childOrder] of order) {
      if (obj[child] === undefined || obj[child] === null) continue;
      const v = obj[child];
      if (Array.isArray(v) && childOrder === null) {
        out += v.map((x) => ordered(child, x, null, ctx, name)).sort().join('');
      } else {
        out += ordered(child, v, childOrder, ctx, name);
      }
    }
    const extras = Object.keys(obj).filter((k) => !order.some(([c]) => c === k)).map((k) => generic(expandKey(k, ctx), obj[k], ctx)).sort();
    return out + extras.join('');
  }).sort();
  return name + rendered.join('');
}

/** The namespace prefixes declared in a document's @context (objects in the array form). */
export function contextPrefixes(context: unknown): Record<string, string> {
  const entries = Array.isArray(context) ? context : [context];
  const prefixes: Record<string, string> = {};
  for (const entry of entries) {
    if (entry && typeof entry === 'object') {
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) if (typeof v === 'string') prefixes[k] = v;
    }
  }
  return prefixes;
}

/** The canonical pre-hash string of one event. */
export function preHashString(event: Record<string, unknown>, prefixes: Record<string, string> = {}): string {
  const ctx: Context = { prefixes: { ...contextPrefixes(event['@context']), ...prefixes } };
  const e = event as JsonObject;
  let out = `eventType=${scalar(e.type)}`;
  for (const [name, order] of PROP_ORDER) {
    const value = e[name];
    if (value === undefined || value === null) continue;
    if (EPC_LISTS.has(name)) {
      if (Array.isArray(value) && value.length > 0) out += name + value.map((v) => `epc=${scalar(v)}`).sort().join('');
      continue;
    }
    if (Array.isArray(value) && value.length === 0) continue;
    out += ordered(name, value, order, ctx);
  }
  const extensions = Object.keys(e).filter((k) => !ORDERED.has(k) && !EXCLUDED.has(k))
    .map((k) => generic(expandKey(k, ctx), e[k], ctx)).sort();
  return out + extensions.join('');
}

/** `ni:///sha-256;{hex}?ver=CBV2.0` for one event. */
export function eventHashId(event: Record<string, unknown>, prefixes: Record<string, string> = {}): string {
  const hex = createHash('sha256').update(preHashString(event, prefixes), 'utf8').digest('hex');
  return `ni:///sha-256;${hex}?ver=CBV2.0`;
}
