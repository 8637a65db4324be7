import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentEvents } from './epcis-document';
import { canonicalNumber, canonicalTime, compareCodePoints, contextPrefixes, eventHashId, preHashString } from './event-hash';

const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures');
const VECTORS = join(FIXTURES, 'epcis-hash-vectors');
const EXAMPLES = join(FIXTURES, 'epcis-examples');

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0) : []);

/** The reference tool's repository-specific `…:ignoreFields` list (see HashOptions), read from a vector document. */
function ignoreFields(doc: Record<string, unknown>): string[] {
  const body = doc.epcisBody as { queryResults?: Record<string, unknown> } | undefined;
  const holder = { ...doc, ...body?.queryResults };
  const key = Object.keys(holder).find((k) => k.endsWith(':ignoreFields'));
  return key ? holder[key] as string[] : [];
}

/**
 * Every JSON-LD vector of the reference implementation (RalphTro/epcis-event-hash-generator, MIT;
 * see test/fixtures/epcis-hash-vectors/README.md): the expected hash of each event, and the pre-hash
 * string where the vector publishes one that hashes to that hash (three of its .prehashes lines are
 * stale or garbled; their hashes are right). A failing pre-hash string shows the first differing field.
 */
const VECTOR_CASES = readdirSync(VECTORS).filter((f) => f.endsWith('.jsonld')).sort().flatMap((file) => {
  const doc = JSON.parse(readFileSync(join(VECTORS, file), 'utf8')) as Record<string, unknown>;
  const hashes = lines(join(VECTORS, file.replace(/\.jsonld$/, '.hashes')));
  const prehashes = lines(join(VECTORS, file.replace(/\.jsonld$/, '.prehashes')));
  const consistent = (pre: string | undefined, hash: string) =>
    pre !== undefined && `ni:///sha-256;${createHash('sha256').update(pre, 'utf8').digest('hex')}?ver=CBV2.0` === hash;
  return documentEvents(doc).map((event, i) => ({
    name: `${file} #${i}`, doc, event, hash: hashes[i], prehash: consistent(prehashes[i], hashes[i]) ? prehashes[i] : null,
  }));
});

describe('CBV 2.0 event hash ID: the reference vectors', () => {
  it('has every vector (43 events in 22 documents)', () => {
    expect(VECTOR_CASES).toHaveLength(43);
  });

  it.each(VECTOR_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const prefixes = contextPrefixes(c.doc['@context']);
    const options = { ignoreFields: ignoreFields(c.doc) };
    if (c.prehash) expect(preHashString(c.event, prefixes, options)).toBe(c.prehash);
    expect(eventHashId(c.event, prefixes, options)).toBe(c.hash);
  });
});

const shipping = {
  type: 'ObjectEvent',
  eventTime: '2026-11-20T08:00:00.000+08:00',
  eventTimeZoneOffset: '+08:00',
  action: 'OBSERVE',
  bizStep: 'shipping',
  disposition: 'in_transit',
  epcList: ['urn:epc:id:sgtin:0614141.107346.2018', 'urn:epc:id:sgtin:0614141.107346.2017'],
  quantityList: [{ epcClass: 'https://x.cn/01/06901234567892/10/L2', quantity: 5, uom: 'KGM' }, { epcClass: 'https://x.cn/01/06901234567892/10/L1', quantity: 2.50 }],
  readPoint: { id: 'https://x.cn/site/1' },
  bizTransactionList: [{ type: 'desadv', bizTransaction: 'https://x.cn/desadv/A1' }],
  sourceList: [{ type: 'owning_party', source: 'https://x.cn/party/a' }],
};

describe('CBV 2.0 event hash ID: canonical form', () => {
  it('writes identifiers as canonical Digital Links and lists with their element names', () => {
    expect(preHashString(shipping)).toBe([
      'eventType=ObjectEvent',
      'eventTime=2026-11-20T00:00:00.000Z',
      'eventTimeZoneOffset=+08:00',
      'epcListepc=https://id.gs1.org/01/10614141073464/21/2017epc=https://id.gs1.org/01/10614141073464/21/2018',
      'quantityListquantityElementepcClass=https://id.gs1.org/01/06901234567892/10/L1quantity=2.5',
      'quantityElementepcClass=https://id.gs1.org/01/06901234567892/10/L2quantity=5uom=KGM',
      'action=OBSERVE',
      'bizStep=https://ref.gs1.org/cbv/BizStep-shipping',
      'disposition=https://ref.gs1.org/cbv/Disp-in_transit',
      'readPointid=https://x.cn/site/1',
      'bizTransactionListtype=https://ref.gs1.org/cbv/BTT-desadvbizTransaction=https://x.cn/desadv/A1',
      'sourceListtype=https://ref.gs1.org/cbv/SDT-owning_partysource=https://x.cn/party/a',
    ].join(''));
  });

  it('gives the same ID whatever the list order, key order, identifier syntax, CBV spelling or time zone', () => {
    const same = {
      eventID: 'urn:uuid:ignored', recordTime: '2030-01-01T00:00:00Z',
      ...shipping,
      eventTime: '2026-11-20T00:00:00Z',
      epcList: ['https://example.cn/01/10614141073464/21/2018', 'https://id.gs1.org/gtin/10614141073464/ser/2017?17=261231'],
      quantityList: [...shipping.quantityList].reverse(),
      bizStep: 'urn:epcglobal:cbv:bizstep:shipping',
      disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
      errorDeclaration: { declarationTime: '2026-11-21T00:00:00Z', reason: 'incorrect_data' },
    };
    expect(eventHashId(same)).toBe(eventHashId(shipping));
    expect(eventHashId({ ...shipping, disposition: 'in_progress' })).not.toBe(eventHashId(shipping));
    expect(eventHashId({ ...shipping, eventTime: '2026-11-20T08:00:00.001+08:00' })).not.toBe(eventHashId(shipping));
    expect(eventHashId({ ...shipping, certificationInfo: 'https://x.cn/c/1' })).not.toBe(eventHashId(shipping));
  });

  it('writes extensions {namespace}localName, sorted, with the document prefixes', () => {
    const prefixes = contextPrefixes(['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { example: 'http://ns.example.com/epcis/' }]);
    const a = preHashString({ ...shipping, 'example:b': '2', 'example:a': { 'example:x': '1' } }, prefixes);
    expect(a.endsWith('{http://ns.example.com/epcis/}a{http://ns.example.com/epcis/}x=1{http://ns.example.com/epcis/}b=2')).toBe(true);
  });

  it('normalises times to UTC milliseconds, rounding the fourth digit half to even like the reference', () => {
    expect(canonicalTime('2005-04-03T20:33:31.116000-06:00')).toBe('2005-04-04T02:33:31.116Z');
    expect(canonicalTime('2005-04-03T20:33:31.1159-06:00')).toBe('2005-04-04T02:33:31.116Z');
    expect(canonicalTime('2023-01-18T11:04:03.1415Z')).toBe('2023-01-18T11:04:03.142Z');
    expect(canonicalTime('2023-01-18T11:04:03.1425Z')).toBe('2023-01-18T11:04:03.142Z');
    expect(canonicalTime('2023-01-18T11:04:03.9995Z')).toBe('2023-01-18T11:04:04.000Z');
    expect(canonicalTime('2005-04-03T20:33:31Z')).toBe('2005-04-03T20:33:31.000Z');
    expect(canonicalTime('2005-02-30T20:33:31Z')).toBe('2005-02-30T20:33:31Z');
    expect(canonicalTime('not a time')).toBe('not a time');
  });

  it('writes numbers as Python does (the reference), other strings unchanged', () => {
    expect(canonicalNumber('1.0')).toBe('1');
    expect(canonicalNumber('0.3434000')).toBe('0.3434');
    expect(canonicalNumber('+007')).toBe('7');
    expect(canonicalNumber('1e3')).toBe('1000');
    expect(canonicalNumber('0.00001')).toBe('1e-05');
    expect(canonicalNumber('1_000')).toBe('1000');
    expect(canonicalNumber('12345678901234567890')).toBe('12345678901234567168');
    expect(canonicalNumber('inf')).toBe('inf');
    expect(canonicalNumber('A12')).toBe('A12');
  });

  it('sorts by code point (UTF-8 order), not UTF-16 unit', () => {
    expect(['\u{1F600}', '\uFF01'].sort(compareCodePoints)).toEqual(['\uFF01', '\u{1F600}']);
  });

  it('hashes each official EPCIS example: distinct events apart, the Digital Link twin of a URN event together', () => {
    const files = new Map<string, string[]>();
    for (const file of readdirSync(EXAMPLES)) {
      const doc = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Record<string, unknown>;
      files.set(file, documentEvents(doc).map((event) => eventHashId(event, contextPrefixes(doc['@context']))));
    }
    const all = [...files.values()].flat();
    expect(all.length).toBe(18);
    // Example 9.6.4 restates its URN event with Digital Links (9.6.1's "twin" names other GTINs).
    expect(files.get('Example_9.6.4-TransformationEventWithDigitalLink.jsonld')).toEqual(files.get('Example_9.6.4-TransformationEvent.jsonld'));
    expect(new Set(all).size).toBe(all.length - 1);
  });

  it('never throws on arbitrary JSON (property)', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (event) => {
      expect(eventHashId({ type: 'ObjectEvent', ...event })).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    }));
  });
});
