import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isValidGtin } from '../codes/gtin';
import { canonicalDigitalLink, epcUriToDigitalLink, hashIdentifier } from './digital-link-canonical';

const CASES = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'epcis-hash-vectors', 'dl-normaliser-cases.json'), 'utf8')) as {
  cases: [unknown, string | null][];
}).cases;

describe('EPC URI and Digital Link → constrained canonical Digital Link', () => {
  it.each(CASES.map(([input, expected]) => [String(input), expected] as const))('reference case %s', (input, expected) => {
    expect(hashIdentifier(input)).toBe(expected);
  });

  // TDS 2.x examples for every scheme and every company-prefix length the partition table allows.
  it.each([
    ['urn:epc:id:sgtin:0614141.112345.400', 'https://id.gs1.org/01/10614141123459/21/400'],
    ['urn:epc:id:sgtin:614141123456.0.A%2FB', 'https://id.gs1.org/01/06141411234562/21/A%2FB'],
    ['urn:epc:id:sgtin:690123.4567890.ser:1', 'https://id.gs1.org/01/46901235678908/21/ser%3A1'],
    ['urn:epc:id:sscc:0614141.1234567890', 'https://id.gs1.org/00/106141412345678908'],
    ['urn:epc:id:sscc:690123456789.00001', 'https://id.gs1.org/00/069012345678900019'],
    ['urn:epc:id:sgln:0614141.12345.400', 'https://id.gs1.org/414/0614141123452/254/400'],
    ['urn:epc:id:sgln:690123456789..0', 'https://id.gs1.org/414/6901234567892'],
    ['urn:epc:id:grai:0614141.12345.400', 'https://id.gs1.org/8003/00614141123452400'],
    ['urn:epc:id:giai:0614141.32a%2Fb', 'https://id.gs1.org/8004/061414132a%2Fb'],
    ['urn:epc:id:gsrn:0614141.1234567890', 'https://id.gs1.org/8018/061414112345678902'],
    ['urn:epc:id:gsrnp:0614141.1234567890', 'https://id.gs1.org/8017/061414112345678902'],
    ['urn:epc:id:gdti:0614141.12345.006847', 'https://id.gs1.org/253/0614141123452006847'],
    ['urn:epc:id:gdti:0614141.12345.', 'https://id.gs1.org/253/0614141123452'],
    ['urn:epc:id:cpi:0614141.123ABC.123456789', 'https://id.gs1.org/8010/0614141123ABC/8011/123456789'],
    ['urn:epc:id:sgcn:4012345.67890.04711', 'https://id.gs1.org/255/401234567890104711'],
    ['urn:epc:id:ginc:0614141.xyz3311cba', 'https://id.gs1.org/401/0614141xyz3311cba'],
    ['urn:epc:id:gsin:0614141.123456789', 'https://id.gs1.org/402/06141411234567890'],
    ['urn:epc:id:itip:4012345.012345.01.02.987', 'https://id.gs1.org/8006/040123451234560102/21/987'],
    ['urn:epc:id:upui:1234567.089456.51qIgY)%3C%26Jp3*j7SDB', 'https://id.gs1.org/01/01234567894560/235/51qIgY%29%3C%26Jp3%2Aj7SDB'],
    ['urn:epc:id:pgln:1234567.89012', 'https://id.gs1.org/417/1234567890128'],
    ['urn:epc:class:lgtin:4012345.012345.998877', 'https://id.gs1.org/01/04012345123456/10/998877'],
    ['urn:epc:idpat:sgtin:4012345.012345.*', 'https://id.gs1.org/01/04012345123456'],
  ])('%s', (urn, link) => {
    expect(epcUriToDigitalLink(urn)).toBe(link);
  });

  it('leaves what is not a well-formed EPC URI alone', () => {
    for (const bad of [
      'urn:epc:id:sgtin:0614141.11234.400', // prefix + item reference must be 13 digits
      'urn:epc:id:sgtin:06141.1123456.400', // a company prefix has 6 to 12 digits
      'urn:epc:id:sgtin:0614141.112345.', // serial required
      'urn:epc:id:sgtin:0614141.112345.123456789012345678901', // serial at most 20 characters
      'urn:epc:id:sgtin:0614141.112345.a%20b', // %20 is no set-82 character
      'urn:epc:id:sscc:0614141.123456789', 'urn:epc:id:unknown:0614141.1', 'urn:epc:tag:sgtin-96:3.0614141.812345.6789',
    ]) expect(epcUriToDigitalLink(bad)).toBeNull();
  });

  it('canonicalises our own Digital Links to id.gs1.org, dropping the query string', () => {
    expect(canonicalDigitalLink('https://trace.example.cn/01/06901234567892/10/2610086EXT?17=261231')).toBe('https://id.gs1.org/01/06901234567892/10/2610086EXT');
    expect(canonicalDigitalLink('https://trace.example.cn/01/06901234567892/10/L1/21/S9')).toBe('https://id.gs1.org/01/06901234567892/21/S9');
    expect(canonicalDigitalLink('https://trace.example.cn/party/5f0e0c3b-1b2a-4a7e-9c1d-0a1b2c3d4e5f')).toBeNull();
    expect(canonicalDigitalLink('https://trace.example.cn/01/06901234567892/10/%E6%89%B9')).toBeNull();
  });

  it('gives every SGTIN a Digital Link with a valid GTIN that keeps the company prefix and item reference (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 6, max: 12 }), fc.stringMatching(/^\d{13}$/), fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
      (prefixLength, digits, serial) => {
        const cp = digits.slice(1, prefixLength + 1);
        const ir = digits[0] + digits.slice(prefixLength + 1);
        const link = epcUriToDigitalLink(`urn:epc:id:sgtin:${cp}.${ir}.${serial}`)!;
        const [, gtin, , ser] = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/(21)\/(.+)$/.exec(link)!.slice(0);
        expect(isValidGtin(gtin)).toBe(true);
        expect(gtin.slice(0, 13)).toBe(digits);
        expect(ser).toBe(serial);
      },
    ));
  });

  it('never throws on arbitrary strings (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      expect(() => hashIdentifier(s)).not.toThrow();
      expect(() => hashIdentifier(`urn:epc:id:sgtin:${s}`)).not.toThrow();
      expect(() => hashIdentifier(`https://x.cn/01/${s}`)).not.toThrow();
    }));
  });
});
