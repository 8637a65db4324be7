import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../errors';
import { assertEpcisDocument, bareCbvWord, eventEpcClasses, eventEpcs } from './epcis-document';

const example = JSON.parse(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'epcis-examples', 'Example_9.6.4-TransformationEvent.jsonld'), 'utf8')) as {
  epcisBody: { eventList: Record<string, unknown>[] };
};

describe('EPCIS documents', () => {
  it('names the schema path of the first problem', () => {
    const doc = structuredClone(example);
    doc.epcisBody.eventList[0].eventTime = 'last tuesday';
    try {
      assertEpcisDocument(doc);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('INVALID_EPCIS');
      expect((e as DomainError).details?.schemaPath).toMatch(/^\/epcisBody\/eventList\/0/);
    }
  });

  it('rejects arbitrary JSON with a DomainError, never a crash (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      try {
        assertEpcisDocument(value);
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
      }
    }), { numRuns: 300 });
  });

  it('extracts instance and class identifiers and bare CBV words', () => {
    const event = example.epcisBody.eventList[0];
    expect(eventEpcs(event).length).toBeGreaterThan(0);
    expect(eventEpcClasses(event)).toContain('urn:epc:class:lgtin:4012345.011111.4444');
    expect(bareCbvWord('urn:epcglobal:cbv:bizstep:shipping')).toBe('shipping');
    expect(bareCbvWord('https://ref.gs1.org/cbv/BizStep-receiving')).toBe('receiving');
    expect(bareCbvWord('https://example.com/steps/x')).toBe('https://example.com/steps/x');
  });
});
