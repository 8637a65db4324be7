import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentEvents } from './epcis-document';
import { canonicalTime, contextPrefixes, eventHashId, preHashString } from './event-hash';

const EXAMPLES = join(__dirname, '..', '..', 'test', 'fixtures', 'epcis-examples');

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

describe('CBV 2.0 event hash ID', () => {
  it('writes the canonical pre-hash string in CBV property order', () => {
    expect(preHashString(shipping)).toBe([
      'eventType=ObjectEvent',
      'eventTime=2026-11-20T00:00:00.000Z',
      'eventTimeZoneOffset=+08:00',
      'epcListepc=urn:epc:id:sgtin:0614141.107346.2017epc=urn:epc:id:sgtin:0614141.107346.2018',
      'quantityListepcClass=https://x.cn/01/06901234567892/10/L1quantity=2.5epcClass=https://x.cn/01/06901234567892/10/L2quantity=5uom=KGM',
      'action=OBSERVE',
      'bizStep=https://ref.gs1.org/cbv/BizStep-shipping',
      'disposition=https://ref.gs1.org/cbv/Disp-in_transit',
      'readPointid=https://x.cn/site/1',
      'bizTransactionListtype=https://ref.gs1.org/cbv/BTT-desadvbizTransaction=https://x.cn/desadv/A1',
      'sourceListtype=https://ref.gs1.org/cbv/SDT-owning_partysource=https://x.cn/party/a',
    ].join(''));
    expect(eventHashId(shipping)).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
  });

  it('gives the same ID whatever the list order, key order, CBV spelling or time zone', () => {
    const same = {
      ...shipping,
      eventTime: '2026-11-20T00:00:00Z',
      epcList: [...shipping.epcList].reverse(),
      quantityList: [...shipping.quantityList].reverse(),
      bizStep: 'urn:epcglobal:cbv:bizstep:shipping',
      disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
      eventID: 'urn:uuid:ignored', recordTime: '2030-01-01T00:00:00Z',
    };
    expect(eventHashId(same)).toBe(eventHashId(shipping));
    expect(eventHashId({ ...shipping, disposition: 'in_progress' })).not.toBe(eventHashId(shipping));
    expect(eventHashId({ ...shipping, eventTime: '2026-11-20T08:00:00.001+08:00' })).not.toBe(eventHashId(shipping));
  });

  it('normalises times to UTC milliseconds, rounding longer fractions', () => {
    expect(canonicalTime('2005-04-03T20:33:31.116000-06:00')).toBe('2005-04-04T02:33:31.116Z');
    expect(canonicalTime('2005-04-03T20:33:31.1159-06:00')).toBe('2005-04-04T02:33:31.116Z');
    expect(canonicalTime('2005-04-03T20:33:31Z')).toBe('2005-04-03T20:33:31.000Z');
  });

  it('expands extension fields with the document prefixes and sorts them', () => {
    const prefixes = contextPrefixes(['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { example: 'http://ns.example.com/epcis/' }]);
    const a = preHashString({ ...shipping, 'example:b': '2', 'example:a': { 'example:x': '1' } }, prefixes);
    expect(a.endsWith('http://ns.example.com/epcis/ahttp://ns.example.com/epcis/x=1http://ns.example.com/epcis/b=2')).toBe(true);
  });

  it('hashes every official example, distinct events to distinct IDs', () => {
    const ids = new Set<string>();
    let count = 0;
    for (const file of readdirSync(EXAMPLES)) {
      const doc = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Record<string, unknown>;
      for (const event of documentEvents(doc)) {
        count++;
        ids.add(eventHashId(event, contextPrefixes(doc['@context'])));
      }
    }
    expect(count).toBeGreaterThan(15);
    expect(ids.size).toBeGreaterThan(count - 6); // the Digital Link twins of URN examples hash apart (URNs are not rewritten)
  });

  it('never throws on arbitrary JSON (property)', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (event) => {
      expect(eventHashId({ type: 'ObjectEvent', ...event })).toMatch(/^ni:\/\/\/sha-256;/);
    }));
  });
});
