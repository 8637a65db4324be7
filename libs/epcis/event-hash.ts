import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashIdentifier } from './digital-link-canonical';

/**
 * CBV 2.0 event hash ID (CBV 2.0 §8.9, "EPCIS event hash ID"): a canonical pre-hash string of the
 * event's content, SHA-256, written `ni:///sha-256;{hex}?ver=CBV2.0`.
 *
 * The standard's prose leaves choices open (how JSON lists map to element names, where user
 * extensions inside standard fields go, which strings count as numbers…); partners recompute our IDs
 * with GS1's reference implementation (github RalphTro/epcis-event-hash-generator), so this follows
 * that implementation step by step and reproduces its published vectors (test/fixtures/
 * epcis-hash-vectors, every one a test in event-hash.spec.ts):
 *  1. bare CBV words (`shipping`, `Temperature`, `x`) become their Web URIs through the EPCIS 2.0
 *     JSON-LD context's scoped vocabularies (cbv-vocabulary.json); a string equal to the last segment
 *     of exactly one such URI in the event is replaced by it;
 *  2. the event becomes an element tree like its XML binding: `{namespace}localName` for extension
 *     keys declared in the document's @context, list members named after their list (`epc`,
 *     `quantityElement`, `sensorElement`, `bizTransaction`…), comments dropped;
 *  3. standard fields in the canonical property order (PROP_ORDER), each list's members sorted;
 *     extensions inside readPoint, bizLocation, sensorElement, sensorMetadata, sensorReport and
 *     quantity elements appended to their parent; everything else (ilmd, the business transaction,
 *     source and destination lists, event-level extensions) appended after, sorted;
 *  4. values trimmed; times in UTC with milliseconds (half-even rounding of the 4th digit, as the
 *     reference does); numbers without trailing zeros (Python's float formatting); `urn:epcglobal:cbv`
 *     URNs as Web URIs; EPC URIs and Digital Links as constrained canonical Digital Links.
 * eventID, recordTime, errorDeclaration and the top-level type are not hashed (type is the prefix).
 * Where the reference crashes (a business transaction without a type, an event time whose
 * milliseconds round up to a full second) we hash the obvious way instead of skipping the event.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One element: name, text value and child elements (the reference's (name, value, children) triple). */
type Element = [name: string, value: string, children: Node[]];
/** A business transaction, source or destination: its children in document order. */
interface Pair { pair: Element[] }
type Node = Element | Pair;

type Order = [name: string, children: Order | null][];

const QUANTITY: Order = [['quantityElement', [['epcClass', null], ['quantity', null], ['uom', null]]]];
/** The typed lists are matched by no name: the reference leaves them for the trailing part. */
const UNMATCHED: Order = [['\u0000typed', null]];

const PROP_ORDER: Order = [
  ['eventTime', null],
  ['eventTimeZoneOffset', null],
  ['certificationInfo', null],
  ['parentID', null],
  ['epcList', [['epc', null]]],
  ['inputEPCList', [['epc', null]]],
  ['childEPCs', [['epc', null]]],
  ['quantityList', QUANTITY],
  ['childQuantityList', QUANTITY],
  ['inputQuantityList', QUANTITY],
  ['outputEPCList', [['epc', null]]],
  ['outputQuantityList', QUANTITY],
  ['action', null],
  ['transformationID', null],
  ['bizStep', null],
  ['disposition', null],
  ['persistentDisposition', [['set', null], ['unset', null]]],
  ['readPoint', [['id', null]]],
  ['bizLocation', [['id', null]]],
  ['bizTransactionList', UNMATCHED],
  ['sourceList', UNMATCHED],
  ['destinationList', UNMATCHED],
  ['sensorElementList', [['sensorElement', [
    ['sensorMetadata', ['time', 'startTime', 'endTime', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules']
      .map((n): [string, null] => [n, null])],
    ['sensorReport', ['type', 'exception', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'time', 'microorganism',
      'chemicalSubstance', 'value', 'component', 'stringValue', 'booleanValue', 'hexBinaryValue', 'uriValue', 'minValue', 'maxValue',
      'meanValue', 'sDev', 'percRank', 'percValue', 'uom', 'coordinateReferenceSystem'].map((n): [string, null] => [n, null])],
  ]]]],
];

const NOT_HASHED = new Set(['recordTime', 'eventID', 'type', 'errorDeclaration']);
const DROPPED_KEYS = new Set(['#text', 'rdfs:comment', 'comment']);
const UNSORTED_KEYS = ['bizTransaction', 'source', 'destination'];
const TYPED_LISTS = new Set(['sourceList', 'destinationList', 'bizTransactionList']);

// ---------- step 1: bare CBV words ----------

interface Vocabulary {
  prefixes: Record<string, string>;
  vocabularies: Record<string, Record<string, string>>;
}

const VOCABULARY = JSON.parse(readFileSync(join(__dirname, 'cbv-vocabulary.json'), 'utf8')) as Vocabulary;
const V = VOCABULARY.vocabularies;
const STANDARD_URI = /^https:\/\/(ref\.gs1\.org\/cbv|gs1\.org\/voc)/;

function expandVocab(value: Json | undefined, terms: Record<string, string>, prefixes: Record<string, string>, out: string[]): void {
  if (Array.isArray(value)) {
    for (const v of value) expandVocab(v, terms, prefixes, out);
    return;
  }
  if (typeof value !== 'string') return;
  let expanded = Object.hasOwn(terms, value) ? terms[value] : value;
  if (expanded === value) {
    const colon = value.indexOf(':');
    const namespace = colon > 0 ? prefixes[value.slice(0, colon)] ?? VOCABULARY.prefixes[value.slice(0, colon)] : undefined;
    if (namespace !== undefined && !value.startsWith('//', colon + 1)) expanded = namespace + value.slice(colon + 1);
  }
  if (STANDARD_URI.test(expanded)) out.push(expanded);
}

const objects = (value: Json | undefined): JsonObject[] => (Array.isArray(value) ? value : value === undefined ? [] : [value])
  .filter((v): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v));

function collectLiterals(value: Json, out: string[]): void {
  if (typeof value === 'string') {
    if (STANDARD_URI.test(value)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectLiterals(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) collectLiterals(v, out);
  }
}

/** The standard vocabulary URIs the event uses, as JSON-LD expansion with the EPCIS context gives them. */
function standardUris(event: JsonObject, prefixes: Record<string, string>): string[] {
  const out: string[] = [];
  collectLiterals(event, out);
  expandVocab(event.bizStep, V.bizStep, prefixes, out);
  expandVocab(event.disposition, V.disposition, prefixes, out);
  for (const p of objects(event.persistentDisposition)) {
    expandVocab(p.set, V.persistentDisposition, prefixes, out);
    expandVocab(p.unset, V.persistentDisposition, prefixes, out);
  }
  for (const t of objects(event.bizTransactionList)) expandVocab(t.type, V.bizTransactionType, prefixes, out);
  for (const s of [...objects(event.sourceList), ...objects(event.destinationList)]) expandVocab(s.type, V.sourceOrDestinationType, prefixes, out);
  for (const element of objects(event.sensorElementList)) {
    for (const report of objects(element.sensorReport)) {
      expandVocab(report.type, V.measurementType, prefixes, out);
      expandVocab(report.exception, V.exception, prefixes, out);
      expandVocab(report.component, V.component, prefixes, out);
    }
  }
  for (const e of objects(event.errorDeclaration)) expandVocab(e.reason, V.errorReason, prefixes, out);
  return [...new Set(out)];
}

/** Bare word → the one standard URI it ends (after `-` or `/`); null when it ends several. */
type BareWords = Map<string, string | null>;

function bareWords(uris: string[]): BareWords {
  const words: BareWords = new Map();
  for (const uri of uris) {
    const seen = new Set<string>();
    for (let i = 0; i < uri.length; i++) {
      const c = uri.charCodeAt(i);
      if (c !== 0x2d && c !== 0x2f) continue;
      const word = uri.slice(i + 1);
      if (seen.has(word)) continue;
      seen.add(word);
      words.set(word, words.has(word) ? null : uri);
    }
  }
  return words;
}

function expandWord(value: string, words: BareWords): string {
  return words.size === 0 ? value : words.get(value) ?? value;
}

// ---------- step 2: the element tree ----------

/** Python's `str()` of a JSON scalar (the reference is written in Python). */
function pyStr(value: Json): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}

/** Code point order (UTF-8 byte order), which the standard asks for; JS compares UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    return (a.codePointAt(i) ?? 0) - (b.codePointAt(i) ?? 0);
  }
  return a.length - b.length;
}

const SURROGATE = /[\uD800-\uDFFF]/;
/** UTF-16 order equals code point order unless a string holds a surrogate (a character beyond U+FFFF). */
const sortStrings = (values: string[]) => (values.some((v) => SURROGATE.test(v)) ? values.sort(compareCodePoints) : values.sort());

function isPair(node: Node): node is Pair {
  return !Array.isArray(node);
}

interface Namespaces {
  /** prefix → namespace URI */
  [prefix: string]: string;
}

function replaceNamespace(text: string, namespaces: Namespaces, isValue: boolean): string {
  const colon = text.indexOf(':');
  if (colon < 0) return text;
  const namespace = namespaces[text.slice(0, colon)];
  if (namespace === undefined || !Object.hasOwn(namespaces, text.slice(0, colon))) return text;
  return isValue ? namespace + text.slice(colon + 1) : `{${namespace}}${text.slice(colon + 1)}`;
}

/** The reference's JSON → element tree, bare CBV words expanded and namespaces written out on the way. */
function toElement(value: Json, namespaces: Namespaces, words: BareWords): Element {
  if (Array.isArray(value)) {
    return ['', '', value.map((v) => toElement(v, namespaces, words))];
  }
  if (value === null || typeof value !== 'object') {
    return ['', pyStr(typeof value === 'string' ? replaceNamespace(expandWord(value, words), namespaces, true) : value), []];
  }
  const scalar = (v: Json) => pyStr(typeof v === 'string' ? expandWord(v, words) : v);
  const node: Element = [Object.hasOwn(value, 'type') ? scalar(value.type) : '', Object.hasOwn(value, '#text') ? scalar(value['#text']) : '', []];
  for (const key of Object.keys(value)) {
    if (DROPPED_KEYS.has(key) || key.startsWith('@xmlns')) continue;
    const child = value[key];
    const converted = toElement(child, namespaces, words);
    const name = replaceNamespace(key, namespaces, false);
    if (Array.isArray(child)) {
      for (const element of converted[2]) if (!isPair(element)) node[2].push([name, element[1], element[2]]);
    } else {
      node[2].push([name, converted[1], converted[2]]);
    }
  }
  // The reference sorts these children here; every place their order reaches the output sorts again
  // (or, for a business transaction, source or destination, keeps document order), so it is skipped.
  return node;
}

/** The reference's JSON→XML model corrections: list members named after their list, quantity elements. */
function correctStructure(node: Element): Element {
  const children = node[2];
  if (children.length === 0) return renamed(node);
  const lists = new Map<string, Element[]>();
  const kept: Node[] = [];
  const childEpcs: Element[] = [];
  for (const child of children) {
    if (!isPair(child) && child[0].endsWith('List')) {
      const members = lists.get(child[0]) ?? [];
      members.push([child[0].slice(0, -4), child[1], child[2]]);
      lists.set(child[0], members);
    } else {
      kept.push(child);
    }
  }
  for (const [name, members] of lists) {
    kept.push(TYPED_LISTS.has(name)
      ? [name, '', members.map((m): Pair => ({ pair: m[2].filter((c): c is Element => !isPair(c)) }))]
      : [name, '', members]);
  }
  const rest: Node[] = [];
  for (const child of kept) {
    if (!isPair(child) && child[0] === 'childEPCs') childEpcs.push(['epc', child[1], []]);
    else rest.push(child);
  }
  if (childEpcs.length > 0) rest.push(['childEPCs', '', childEpcs]);
  const corrected = rest.map((c) => (isPair(c) || TYPED_LISTS.has(c[0]) ? c : correctStructure(c)));
  return renamed([node[0], node[1], corrected]);
}

function renamed(node: Element): Element {
  const [name, value, children] = node;
  if (name === 'inputEPC' || name === 'outputEPC') return ['epc', value, children];
  if (name === 'inputQuantity' || name === 'outputQuantity' || name === 'childQuantity' || (name === 'quantity' && children.length > 0)) {
    return ['quantityElement', value, children];
  }
  return node;
}

// ---------- steps 3 and 4: the pre-hash string ----------

const WEB_VOCABULARY: [string, string][] = [
  ['urn:epcglobal:cbv:bizstep:', 'https://ref.gs1.org/cbv/BizStep-'],
  ['urn:epcglobal:cbv:disp:', 'https://ref.gs1.org/cbv/Disp-'],
  ['urn:epcglobal:cbv:btt:', 'https://ref.gs1.org/cbv/BTT-'],
  ['urn:epcglobal:cbv:sdt:', 'https://ref.gs1.org/cbv/SDT-'],
  ['urn:epcglobal:cbv:er:', 'https://ref.gs1.org/cbv/ER-'],
];

const PY_FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;

/** A numeric string as Python's `str(float(x))` gives it, integers without `.0`; anything else unchanged. */
export function canonicalNumber(text: string): string {
  if (!PY_FLOAT.test(text)) return text;
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isFinite(n)) return text;
  if (Number.isInteger(n)) return BigInt(n).toString();
  if (Math.abs(n) >= 1e-4) return String(n);
  const [mantissa, exponent] = n.toExponential().split('e');
  const e = Number(exponent);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function canonicalValue(text: string): string {
  let out = text;
  if (out.includes('urn:epcglobal:cbv:')) for (const [urn, web] of WEB_VOCABULARY) out = out.split(urn).join(web);
  out = canonicalNumber(out);
  return hashIdentifier(out) ?? out;
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** UTC with milliseconds: `2005-04-03T20:33:31.116000-06:00` → `2005-04-04T02:33:31.116Z`; unparsable text unchanged. */
export function canonicalTime(value: string): string {
  const m = ISO_TIME.exec(value);
  if (!m) return value;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const zone = /^([+-])(\d{2}):?(\d{2})?$/.exec(m[8] ?? '');
  const offsetMinutes = zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3] ?? 0)) : 0;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (date.getUTCDate() !== day || date.getUTCHours() !== hour || date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) return value;
  // Microseconds (further digits cut, as the reference's parser does), then Python's round(µs, -3): half to even.
  const micros = Number((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  let millis = Math.floor(micros / 1000);
  const rest = micros % 1000;
  if (rest > 500 || (rest === 500 && millis % 2 === 1)) millis++;
  const utc = new Date(date.getTime() - offsetMinutes * 60_000 + millis);
  const utcYear = utc.getUTCFullYear();
  return utcYear < 1 || utcYear > 9999 ? value : utc.toISOString();
}

function childString(child: Element, order: Order | null): string {
  const grand = order ? inOrder(child[2], order) : '';
  let text = '';
  if (child[1]) {
    text = child[1].trim();
    const lower = child[0].toLowerCase();
    text = lower.includes('time') && !lower.includes('offset') ? canonicalTime(text) : canonicalValue(text);
    if (text) text = `=${text}`;
  }
  return text || grand ? child[0] + text + grand : '';
}

/** Extensions (`{namespace/}name`) inside a standard field, taken out to be appended to it. */
function takeExtensions(children: Node[]): Node[] {
  if (children.length <= 1) return [];
  let extensions: Node[] | null = null;
  for (const c of children) {
    if (isPair(c)) continue;
    if (c[0].includes('eventTime') || c[0].includes('action')) return [];
    if (c[0].includes('{') && c[0].includes('/}')) (extensions ??= []).push(c);
  }
  if (!extensions) return [];
  const taken = new Set(extensions);
  const kept = children.filter((c) => !taken.has(c));
  children.length = 0;
  children.push(...kept);
  return extensions;
}

/** Fields named in `order`, in that order (each one's values sorted); what they consume leaves `children`. */
function inOrder(children: Node[], order: Order): string {
  let out = '';
  const extensions = takeExtensions(children);
  let gone: boolean[] | null = null;
  for (const [name, childOrder] of order) {
    let values: string[] | null = null;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (isPair(child) || child[0] !== name) continue;
      const text = childString(child, childOrder);
      if (text) (values ??= []).push(text);
      if (child[2].length === 0) (gone ??= new Array<boolean>(children.length).fill(false))[i] = true;
    }
    if (values) out += (values.length > 1 ? sortStrings(values) : values).join('');
  }
  if (gone) {
    let w = 0;
    for (let r = 0; r < children.length; r++) if (!gone[r]) children[w++] = children[r];
    children.length = w;
  }
  if (extensions.length > 0) out += generic(extensions);
  return out;
}

/** Everything else: name, `=value`, children; siblings sorted (a typed pair keeps its document order). */
function generic(children: Node[]): string {
  const values = children.map((child) => {
    if (isPair(child)) return generic(child.pair);
    const text = child[1].trim();
    return child[0] + (text ? `=${canonicalValue(text)}` : '') + generic(child[2]);
  });
  const sorted = children.length > 1 && !children.some((c) => !isPair(c) && UNSORTED_KEYS.includes(c[0]));
  return (sorted ? sortStrings(values) : values).join('');
}

// ---------- entry points ----------

/** The namespace prefixes declared in a document's @context (objects in its array form). */
export function contextPrefixes(context: unknown): Record<string, string> {
  const prefixes: Record<string, string> = {};
  if (!Array.isArray(context)) return prefixes;
  for (const entry of context) {
    if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) if (typeof v === 'string') prefixes[k] = v;
    }
  }
  return prefixes;
}

export interface HashOptions {
  /**
   * Top-level keys (as written, e.g. `ex:captureID`) left out of the hash: the reference tool's way for
   * a repository to mark fields it added itself (`…:ignoreFields` in a document). Not part of CBV; the
   * capture never takes it from a document (a capturer could otherwise hide fields from the ID).
   */
  ignoreFields?: readonly string[];
}

/** The canonical pre-hash string of one event; `prefixes` are its document's @context prefixes. */
export function preHashString(event: Record<string, unknown>, prefixes: Record<string, string> = {}, options: HashOptions = {}): string {
  const namespaces: Namespaces = Object.assign(Object.create(null) as Namespaces, prefixes);
  let source = event as JsonObject;
  if (options.ignoreFields?.length) source = Object.fromEntries(Object.entries(source).filter(([k]) => !options.ignoreFields!.includes(k)));
  const tree = correctStructure(toElement(source, namespaces, bareWords(standardUris(source, prefixes))));
  const ordered = inOrder(tree[2], PROP_ORDER);
  const rest = tree[2].filter((c) => isPair(c) || !NOT_HASHED.has(c[0]));
  return `eventType=${tree[0]}${ordered}${rest.length > 0 ? generic(rest) : ''}`;
}

/** `ni:///sha-256;{hex}?ver=CBV2.0` for one event. */
export function eventHashId(event: Record<string, unknown>, prefixes: Record<string, string> = {}, options: HashOptions = {}): string {
  const hex = createHash('sha256').update(preHashString(event, prefixes, options), 'utf8').digest('hex');
  return `ni:///sha-256;${hex}?ver=CBV2.0`;
}
