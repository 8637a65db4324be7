/**
 * Identifiers as CBV 2.0's event hash ID writes them: every EPC URI (`urn:epc:id:…`), EPC class URI
 * (`urn:epc:class:lgtin:…`) and EPC pattern URI (`urn:epc:idpat:…`) becomes the canonical GS1 Digital
 * Link on `https://id.gs1.org`, and every GS1 Digital Link is constrained to that canonical form: the
 * custom domain replaced, the query string dropped, short names (`gtin`, `lot`, `ser`…) written as
 * AIs, GTINs padded to 14 digits, the CPV (22) dropped and a lot dropped when a serial is present.
 *
 * No npm package does this: epc-tds converts RFID tag encodings to EPC URIs only, and digital-link.js
 * parses Digital Links but knows nothing of EPC URIs. Written after the EPC Tag Data Standard 2.x
 * (§6 pure identity URIs) and checked case by case against the independent reference implementation
 * of the hash algorithm (test/fixtures/epcis-hash-vectors, `dl-normaliser-cases.json`), including
 * what it leaves alone (a value that is not a valid constrained Digital Link is hashed as written).
 */
import { gtinCheckDigit } from '../codes/gtin';

const CANONICAL = 'https://id.gs1.org';

/** URN characters a Digital Link path must percent-encode (GS1 Digital Link 1.2, table 7-1). */
function pathEncode(value: string): string {
  return value.replace(/[!()*+,:]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const check = (digits: string) => digits + gtinCheckDigit(digits);

/** One escaped URN character of GS1 AI encodable set 82 (TDS §5: `%xx` or a safe character). */
const URN_CHAR = "(?:%2[125-9A-Fa-f]|%3[0-9A-Fa-f]|%4[1-9A-Fa-f]|%5[0-9AaFf]|%6[1-9A-Fa-f]|%7[0-9Aa]|[!')(*+,.0-9:;=A-Za-z_-])";
/** CPI component characters (set 39, TDS §6.3.13). */
const CPI_CHAR = '(?:%2[3dfDF]|%3[0-9]|%4[1-9A-Fa-f]|%5[0-9Aa]|[0-9A-Z-])';

/** Company prefix and a numeric reference sharing `total` digits (prefix 6–12 digits). */
function split(total: number, refMin = 0): string {
  const options: string[] = [];
  for (let cp = 6; cp <= 12; cp++) {
    const ref = total - cp;
    options.push(ref >= refMin ? `\\d{${cp}}\\.\\d{${ref}}` : '');
  }
  return `(?:${options.filter(Boolean).join('|')})`;
}

/** Company prefix followed by a free-text reference of at most `total - prefix` characters. */
function prefixed(chars: string, total: number): string {
  const options: string[] = [];
  for (let cp = 6; cp <= 12; cp++) options.push(`\\d{${cp}}\\.${chars}{1,${total - cp}}`);
  return `(?:${options.join('|')})`;
}

type Converter = (body: string) => string;

/** Digits of `CP.REF` without the dot. */
const joined = (body: string) => body.replace('.', '');

/** `CP.IR…` (indicator digit first in IR) → the 13 GTIN data digits. */
function gtinData(cp: string, ir: string): string {
  return ir.slice(0, 1) + cp + ir.slice(1);
}

interface Scheme {
  prefix: string;
  pattern: RegExp;
  convert: Converter;
}

function scheme(prefix: string, body: string, convert: Converter): Scheme {
  return { prefix, pattern: new RegExp(`^(${body})$`), convert };
}

const SCHEMES: Scheme[] = [
  scheme('urn:epc:id:sgtin:', `${split(13, 1)}\\.${URN_CHAR}{1,20}`, (b) => {
    const [cp, ir, ...serial] = b.split('.');
    return `/01/${check(gtinData(cp, ir))}/21/${pathEncode(serial.join('.'))}`;
  }),
  scheme('urn:epc:id:sscc:', split(17, 1), (b) => {
    const [cp, sr] = b.split('.');
    return `/00/${check(sr.slice(0, 1) + cp + sr.slice(1))}`;
  }),
  scheme('urn:epc:id:sgln:', `${split(12)}\\.${URN_CHAR}{1,20}`, (b) => {
    const [cp, lr, ...ext] = b.split('.');
    const extension = ext.join('.');
    return `/414/${check(cp + lr)}${extension === '0' ? '' : `/254/${pathEncode(extension)}`}`;
  }),
  scheme('urn:epc:id:grai:', `${split(12)}\\.${URN_CHAR}{1,16}`, (b) => {
    const [cp, at, ...serial] = b.split('.');
    return `/8003/${check(`0${cp}${at}`)}${pathEncode(serial.join('.'))}`;
  }),
  scheme('urn:epc:id:giai:', prefixed(URN_CHAR, 30), (b) => `/8004/${pathEncode(joined(b))}`),
  scheme('urn:epc:id:gsrn:', split(17), (b) => `/8018/${check(joined(b))}`),
  scheme('urn:epc:id:gsrnp:', split(17), (b) => `/8017/${check(joined(b))}`),
  scheme('urn:epc:id:gdti:', `${split(12)}\\.${URN_CHAR}{0,17}`, (b) => {
    const [cp, dt, ...serial] = b.split('.');
    return `/253/${check(cp + dt)}${pathEncode(serial.join('.'))}`;
  }),
  scheme('urn:epc:id:cpi:', `${prefixed(CPI_CHAR, 30)}\\.\\d{1,12}`, (b) => {
    const last = b.lastIndexOf('.');
    return `/8010/${pathEncode(joined(b.slice(0, last)))}/8011/${b.slice(last + 1)}`;
  }),
  scheme('urn:epc:id:sgcn:', `${split(12)}\\.\\d{1,12}`, (b) => {
    const [cp, cr, serial] = b.split('.');
    return `/255/${check(cp + cr)}${serial}`;
  }),
  scheme('urn:epc:id:ginc:', prefixed(URN_CHAR, 30), (b) => `/401/${pathEncode(joined(b))}`),
  scheme('urn:epc:id:gsin:', split(16), (b) => `/402/${check(joined(b))}`),
  scheme('urn:epc:id:itip:', `${split(13, 1)}\\.\\d{2}\\.\\d{2}\\.${URN_CHAR}{1,20}`, (b) => {
    const [cp, ir, piece, total, ...serial] = b.split('.');
    return `/8006/${check(gtinData(cp, ir))}${piece}${total}/21/${pathEncode(serial.join('.'))}`;
  }),
  scheme('urn:epc:id:upui:', `${split(13, 1)}\\.${URN_CHAR}{1,28}`, (b) => {
    const [cp, ir, ...tpx] = b.split('.');
    return `/01/${check(gtinData(cp, ir))}/235/${pathEncode(tpx.join('.'))}`;
  }),
  scheme('urn:epc:id:pgln:', split(12), (b) => `/417/${check(joined(b))}`),
  scheme('urn:epc:class:lgtin:', `${split(13, 1)}\\.${URN_CHAR}{1,20}`, (b) => {
    const [cp, ir, ...lot] = b.split('.');
    return `/01/${check(gtinData(cp, ir))}/10/${pathEncode(lot.join('.'))}`;
  }),
  scheme('urn:epc:idpat:sgtin:', `${split(13, 1)}\\.\\*`, (b) => {
    const [cp, ir] = b.split('.');
    return `/01/${check(gtinData(cp, ir))}`;
  }),
  scheme('urn:epc:idpat:grai:', `${split(12)}\\.\\*`, (b) => {
    const [cp, at] = b.split('.');
    return `/8003/${check(`0${cp}${at}`)}`;
  }),
  scheme('urn:epc:idpat:gdti:', `${split(12)}\\.\\*`, (b) => {
    const [cp, dt] = b.split('.');
    return `/253/${check(cp + dt)}`;
  }),
  scheme('urn:epc:idpat:sgcn:', `${split(12)}\\.\\*`, (b) => {
    const [cp, cr] = b.split('.');
    return `/255/${check(cp + cr)}`;
  }),
  scheme('urn:epc:idpat:cpi:', `${prefixed(CPI_CHAR, 30)}\\.\\*`, (b) => `/8010/${pathEncode(joined(b.slice(0, b.lastIndexOf('.'))))}`),
  scheme('urn:epc:idpat:itip:', `${split(13, 1)}\\.\\d{2}\\.\\d{2}\\.\\*`, (b) => {
    const [cp, ir, piece, total] = b.split('.');
    return `/8006/${check(gtinData(cp, ir))}${piece}${total}`;
  }),
  scheme('urn:epc:idpat:upui:', `${split(13, 1)}\\.\\*`, (b) => {
    const [cp, ir] = b.split('.');
    return `/01/${check(gtinData(cp, ir))}`;
  }),
];

const BY_PREFIX = new Map(SCHEMES.map((s) => [s.prefix, s]));

/** An EPC pure identity, class or pattern URI as its canonical GS1 Digital Link; null when it is none. */
export function epcUriToDigitalLink(uri: string): string | null {
  if (!uri.startsWith('urn:epc:')) return null;
  const end = uri.indexOf(':', uri.indexOf(':', 8) + 1);
  const scheme = end > 0 ? BY_PREFIX.get(uri.slice(0, end + 1)) : undefined;
  const match = scheme?.pattern.exec(uri.slice(end + 1));
  return scheme && match ? CANONICAL + scheme.convert(match[1]) : null;
}

/** Short names of primary keys and qualifiers (GS1 Digital Link 1.1) → their AIs. */
const SHORT_NAMES: Record<string, string> = {
  gtin: '01', itip: '8006', cpid: '8010', gln: '414', party: '417', gsrnp: '8017', gsrn: '8018', gcn: '255', sscc: '00',
  gdti: '253', ginc: '401', gsin: '402', grai: '8003', giai: '8004', cpv: '22', lot: '10', ser: '21',
};
/** Every `/name/` anywhere in the URI, adjacent ones too (they share the slash). */
const SHORT_NAME = new RegExp(`/(${Object.keys(SHORT_NAMES).join('|')})(?=/)`, 'g');

const KEYS = '01|gtin|8006|itip|8010|cpid|414|gln|417|party|8017|gsrnp|8018|gsrn|255|gcn|00|sscc|253|gdti|401|ginc|402|gsin|8003|grai|8004|giai';
/** A URI whose path holds a GS1 primary key (value starting with 4 digits): a Digital Link candidate. */
const DIGITAL_LINK = new RegExp(`^https?:[^?#]*/(${KEYS})/\\d{4}[^/]`);
const ALREADY_CANONICAL = /^https:\/\/id.gs1.org\/(01|8006|8010|414|417|8017|8018|255|00|253|401|402|8003|8004)\/\d{4}[^/]+/;
/** Primary keys in the order a custom domain is searched for them. */
const REBASE_ORDER = ['00', '01', '253', '255', '401', '402', '414', '417', '8003', '8004', '8006', '8010', '8017', '8018'];

/** GS1 AI encodable set 82 without `%` (a percent-encoded value is not constrained canonical). */
const V = '[\\x22\\x27\\x2D\\x2E\\x30-\\x39\\x3B-\\x3F\\x41-\\x5A\\x5F\\x61-\\x7A]';
const CONSTRAINED: RegExp[] = [
  '00/\\d{18}', `01/\\d{14}/21/${V}{0,20}`, `01/\\d{14}/10/${V}{0,20}`, '01/\\d{14}', `01/\\d{14}/235/${V}{0,28}`,
  `253/\\d{13}${V}{0,17}`, '255/\\d{13}\\d{0,12}', `401/${V}{0,30}`, '402/\\d{17}', '414/\\d{13}', `414/\\d{13}/254/${V}{0,20}`,
  '417/\\d{13}', `8003/\\d{14}${V}{0,16}`, `8004/${V}{0,30}`, `8006/\\d{18}/21/${V}{0,20}`, `8006/\\d{18}/10/${V}{0,20}`,
  '8006/\\d{18}', '8010/[\\x23\\x2D\\x2F\\x30-\\x39\\x41-\\x5A]{0,30}/8011/\\d{0,12}', '8010/[\\x23\\x2D\\x2F\\x30-\\x39\\x41-\\x5A]{0,30}',
  '8017/\\d{18}', '8018/\\d{18}',
].map((p) => new RegExp(`^https://id.gs1.org/${p}$`));

const CPV_ONLY = new RegExp(`^https://id.gs1.org/(8006/\\d{18}|01/\\d{14})/22/${V}{0,20}$`);
const CPV_THEN = new RegExp(`^https://id.gs1.org/(8006/\\d{18}|01/\\d{14})/22/[/\\x22\\x27\\x2D\\x2E\\x30-\\x39\\x3B-\\x3F\\x41-\\x5A\\x5F\\x61-\\x7A]{0,20}$`);
const LOT_AND_SERIAL = new RegExp(`^https://id.gs1.org/(8006/\\d{18}|01/\\d{14})/10/${V}{0,20}/21/${V}{0,20}$`);

function rebase(uri: string): string {
  if (ALREADY_CANONICAL.test(uri)) return uri;
  for (const key of REBASE_ORDER) {
    const at = uri.indexOf(`/${key}/`);
    if (at >= 0) return CANONICAL + uri.slice(at);
  }
  return uri;
}

function padGtin(uri: string): string {
  const m = /^https:\/\/id.gs1.org\/01\/(\d+)/.exec(uri);
  if (!m || m[1].length >= 14) return uri;
  const pad = m[1].length >= 13 ? '0' : m[1].length >= 12 ? '00' : m[1].length >= 8 ? '000000' : '';
  return pad ? uri.split('/01/').join(`/01/${pad}`) : uri;
}

/** Drops the consumer product variant (22) and, when a serial is present, the lot. */
function finestLevel(uri: string): string {
  let out = uri;
  const cpv = out.indexOf('/22/');
  if (CPV_ONLY.test(out)) out = out.slice(0, cpv);
  else if (CPV_THEN.test(out)) {
    const rest = out.slice(cpv + 4);
    const slash = rest.indexOf('/');
    out = out.slice(0, cpv) + (slash >= 0 ? rest.slice(slash) : rest.slice(-1));
  }
  if (LOT_AND_SERIAL.test(out)) {
    const lot = out.indexOf('/10/');
    const rest = out.slice(lot + 4);
    out = out.slice(0, lot) + rest.slice(rest.indexOf('/'));
  }
  return out;
}

/** A GS1 Digital Link (any domain, short names or AIs) as a constrained canonical one; null when it is none. */
export function canonicalDigitalLink(uri: string): string | null {
  if (!DIGITAL_LINK.test(uri)) return null;
  let out = uri.includes('?') ? uri.slice(0, uri.indexOf('?')) : uri;
  out = out.replace(SHORT_NAME, (_m, name: string) => `/${SHORT_NAMES[name]}`);
  out = finestLevel(padGtin(rebase(out)));
  return CONSTRAINED.some((p) => p.test(out)) ? out : null;
}

/**
 * The form an identifier takes in the pre-hash string: an EPC URI or any GS1 Digital Link as its
 * constrained canonical Digital Link; null when the value is neither (then it is hashed as written).
 */
export function hashIdentifier(value: string): string | null {
  if (!value.includes('.')) return null;
  return epcUriToDigitalLink(value) ?? (value.startsWith('http') ? canonicalDigitalLink(value) : null);
}
