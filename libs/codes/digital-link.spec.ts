import fc from 'fast-check';
import { buildDigitalLink, buildDigitalLinkPath, parseDigitalLinkPath } from './digital-link';
import { encodeSet82Component, isSet82 } from './gs1-set82';
import { normalizeGtin } from './gtin';
import {
  domainErrorOf,
  expectOnlyDomainErrors,
  hostileInput,
  SET82_CHARS,
  set82Value,
  validGtin,
  yymmdd,
} from './code-arbitraries.test-helper';

const HOST = 'https://trace.example.cn';
const GTIN = '06901234567892';

describe('GS1 set 82', () => {
  it('holds exactly 82 ASCII characters', () => {
    const members = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)).filter(isSet82);
    expect(members).toEqual(SET82_CHARS);
    expect(members).toHaveLength(82);
    expect(isSet82('~')).toBe(false);
    expect(isSet82('中')).toBe(false);
  });

  it('encodes everything but the URI unreserved characters, including ! \' ( ) *', () => {
    expect(encodeSet82Component("A-b._!'()*/%&+,:;<=>?\"")).toBe(
      'A-b._%21%27%28%29%2A%2F%25%26%2B%2C%3A%3B%3C%3D%3E%3F%22',
    );
    for (const ch of SET82_CHARS) expect(decodeURIComponent(encodeSet82Component(ch))).toBe(ch);
  });

  it('refuses to encode characters outside set 82', () => {
    expect(domainErrorOf(() => encodeSet82Component('a b')).details).toMatchObject({ rule: 'charset' });
  });
});

describe('buildDigitalLink', () => {
  it('builds the lot URI with a GTIN-14', () => {
    expect(buildDigitalLink(HOST, { gtin: '6901234567892', lot: '260314AB12' })).toBe(
      `${HOST}/01/${GTIN}/10/260314AB12`,
    );
  });

  it('orders qualifiers 22 → 10 → 21 and puts attributes in the query', () => {
    expect(
      buildDigitalLink(`${HOST}/`, {
        gtin: GTIN,
        serial: 'S/1',
        lot: 'L_1',
        cpv: 'RED',
        query: { harvestDate: '260301', expiry: '260630', productionDate: '260314' },
      }),
    ).toBe(`${HOST}/01/${GTIN}/22/RED/10/L_1/21/S%2F1?17=260630&11=260314&7007=260301`);
  });

  it('keeps a path prefix of the base URL and drops its trailing slash', () => {
    expect(buildDigitalLink('https://Trace.Example.cn/dl/', { gtin: GTIN, serial: 'X' })).toBe(
      `${HOST}/dl/01/${GTIN}/21/X`,
    );
  });

  it.each([
    [{ gtin: '6901234567893' }, 'gtin', 'gtin'],
    [{ gtin: GTIN, lot: 'L 1' }, 'lot', 'charset'],
    [{ gtin: GTIN, lot: '' }, 'lot', 'length'],
    [{ gtin: GTIN, serial: 'X'.repeat(21) }, 'serial', 'length'],
    [{ gtin: GTIN, cpv: '批次' }, 'cpv', 'charset'],
    [{ gtin: GTIN, serial: '.' }, 'serial', 'dot_segment'],
    [{ gtin: GTIN, lot: '..' }, 'lot', 'dot_segment'],
    [{ gtin: GTIN, query: { expiry: '261301' } }, 'expiry', 'date'],
    [{ gtin: GTIN, query: { productionDate: '2026-03-14' } }, 'productionDate', 'date'],
  ])('rejects %j', (parts, field, rule) => {
    const error = domainErrorOf(() => buildDigitalLink(HOST, parts));
    expect(error.code).toBe('INVALID_DIGITAL_LINK');
    expect(error.details).toMatchObject({ field, rule });
  });

  it.each(['not a url', 'ftp://trace.example.cn', `${HOST}/?a=1`, `${HOST}/#x`, 'https://u:p@trace.example.cn'])(
    'rejects base URL %s',
    (base) => {
      expect(domainErrorOf(() => buildDigitalLink(base, { gtin: GTIN })).details).toMatchObject({
        field: 'baseUrl',
        rule: 'base_url',
      });
    },
  );
});

describe('parseDigitalLinkPath', () => {
  it('parses a full path with attributes and non-GS1 parameters', () => {
    expect(
      parseDigitalLinkPath(`/01/${GTIN}/22/RED/10/L%2F1/21/S1?17=260600&linkType=gs1%3Apip&7007=260301`),
    ).toEqual({
      gtin: GTIN,
      cpv: 'RED',
      lot: 'L/1',
      serial: 'S1',
      attributes: { expiry: '260600', harvestDate: '260301' },
      params: { linkType: 'gs1:pip' },
    });
  });

  it('accepts a serial straight after the GTIN (GS1 DL 1.x) and a GTIN-13 in the path', () => {
    expect(parseDigitalLinkPath('/01/6901234567892/21/ABC')).toEqual({
      gtin: GTIN,
      serial: 'ABC',
      attributes: {},
      params: {},
    });
  });

  it('needs the dot_segment rule: the URL parser drops "." and "%2E" segments', () => {
    expect(new URL(`${HOST}/01/${GTIN}/21/.`).pathname).toBe(`/01/${GTIN}/21/`);
    expect(new URL(`${HOST}/01/${GTIN}/21/%2E`).pathname).toBe(`/01/${GTIN}/21/`);
    expect(parseDigitalLinkPath(`/01/${GTIN}/10/...`).lot).toBe('...');
  });

  it('accepts exactly 20 characters after decoding', () => {
    expect(parseDigitalLinkPath(`/01/${GTIN}/10/${'%21'.repeat(20)}`).lot).toBe('!'.repeat(20));
  });

  it.each([
    [`/01/${GTIN}/21/S/10/L`, 'qualifier_order'],
    [`/01/${GTIN}/10/L/22/C`, 'qualifier_order'],
    [`/01/${GTIN}/10/A/10/B`, 'duplicate'],
    [`/01/${GTIN}/01/${GTIN}`, 'duplicate'],
    [`/01/${GTIN}/10/A?17=260101&17=260102`, 'duplicate'],
    [`/01/${GTIN}?linkType=a&linkType=b`, 'duplicate'],
    [`/01/${GTIN}/99/A`, 'unknown_qualifier'],
    [`/01/${GTIN}/17/260101`, 'unknown_qualifier'],
    [`/01/${GTIN}?3103=000195`, 'unknown_attribute'],
    ['/01/06901234567893/10/A', 'gtin'],
    ['/01/690123456789/10/A', 'gtin'],
    ['/01/ABC/10/A', 'gtin'],
    [`/01/${GTIN}/10/${'A'.repeat(21)}`, 'length'],
    [`/01/${GTIN}/10/${'%21'.repeat(21)}`, 'length'],
    [`/01/${GTIN}/10/%E4%B8%AD`, 'charset'],
    [`/01/${GTIN}/10/A B`, 'charset'],
    [`/01/${GTIN}/10/~`, 'charset'],
    [`/01/${GTIN}/10/%2E`, 'dot_segment'],
    [`/01/${GTIN}/10/%`, 'encoding'],
    [`/01/${GTIN}/10/%G1`, 'encoding'],
    [`/01/${GTIN}/10/%C3`, 'encoding'],
    [`/01/${GTIN}/10/%FF`, 'encoding'],
    [`/01/${GTIN}?linkType=%E4%B8`, 'encoding'],
    [`/01/${GTIN}/10/A?17=261301`, 'date'],
    [`/01/${GTIN}/10/A?11=2603`, 'date'],
    [`/01/${GTIN}/10/A?7007=250229`, 'date'],
    [`/01/${GTIN}/10/A/`, 'structure'],
    [`/01/${GTIN}//10/A`, 'structure'],
    [`/01/${GTIN}/10`, 'structure'],
    [`01/${GTIN}`, 'structure'],
    ['/10/A', 'structure'],
    ['/', 'structure'],
    ['', 'structure'],
    [`/01/${GTIN}/10/A#top`, 'structure'],
    [`/01/${GTIN}/10/A/extra/garbage`, 'unknown_qualifier'],
    [`/01/${GTIN}/10/${'A'.repeat(3000)}`, 'length'],
  ])('%s → %s', (path, rule) => {
    const error = domainErrorOf(() => parseDigitalLinkPath(path));
    expect(error.code).toBe('INVALID_DIGITAL_LINK');
    expect(error.details).toMatchObject({ rule });
  });

  it('accepts DD = 00 (end of month) and 29 February of a leap year', () => {
    expect(parseDigitalLinkPath(`/01/${GTIN}?17=260200&11=240229`).attributes).toEqual({
      expiry: '260200',
      productionDate: '240229',
    });
  });

  it('does not let a __proto__ parameter touch the prototype', () => {
    const { params } = parseDigitalLinkPath(`/01/${GTIN}?__proto__=x`);
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(params, '__proto__')?.value).toBe('x');
  });
});

describe('Digital Link properties', () => {
  const parts = fc.record(
    {
      gtin: validGtin,
      cpv: set82Value,
      lot: set82Value,
      serial: set82Value,
      query: fc.record({ expiry: yymmdd, productionDate: yymmdd, harvestDate: yymmdd }, { requiredKeys: [] }),
    },
    { requiredKeys: ['gtin'] },
  );

  it('every built link parses back into the same parts', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const url = new URL(buildDigitalLink(`${HOST}/`, p));
        expect(url.origin).toBe(HOST);
        const parsed = parseDigitalLinkPath(url.pathname + url.search);
        expect(parsed).toEqual({
          gtin: normalizeGtin(p.gtin),
          ...(p.cpv !== undefined && { cpv: p.cpv }),
          ...(p.lot !== undefined && { lot: p.lot }),
          ...(p.serial !== undefined && { serial: p.serial }),
          attributes: p.query ?? {},
          params: {},
        });
        // Canonical: parse → build gives the same path back.
        expect(buildDigitalLinkPath({ ...parsed, query: parsed.attributes })).toBe(url.pathname + url.search);
      }),
    );
  });

  it('built paths only hold URI-safe characters', () => {
    fc.assert(
      fc.property(parts, (p) => {
        expect(buildDigitalLinkPath(p)).toMatch(/^[0-9A-Za-z\-._/?=&%]*$/);
      }),
    );
  });

  it('swapping lot and serial is always a qualifier_order error', () => {
    fc.assert(
      fc.property(validGtin, set82Value, set82Value, (gtin, lot, serial) => {
        const path = `/01/${gtin}/21/${encodeSet82Component(serial)}/10/${encodeSet82Component(lot)}`;
        expect(domainErrorOf(() => parseDigitalLinkPath(path)).details).toMatchObject({ rule: 'qualifier_order' });
      }),
    );
  });

  const token = fc.oneof(
    fc.constantFrom(
      '/', '//', '01', '10', '21', '22', '17', '11', '7007', '%', '%2', '%2F', '%25', '%C3', '%E4%B8', '%ZZ',
      '%00', '%FF', '%F0%9F%98', '?', '&', '=', '#', '+', '06901234567892', '6901234567892', 'ABC', '~', '中',
      '__proto__', 'constructor',
    ),
    fc.string({ maxLength: 5 }),
    fc.string({ unit: 'binary', maxLength: 5 }),
  );
  const randomPath = fc.array(token, { maxLength: 40 }).map((t) => t.join(''));
  const nearlyValidPath = fc
    .tuple(fc.array(token, { maxLength: 8 }), fc.integer({ min: 1, max: 400 }))
    .map(([tail, repeat]) => `/01/${GTIN}` + '/10/A'.repeat(repeat % 3) + tail.join('') + '/21/%41'.repeat(repeat));

  it('arbitrary paths and values only ever throw a DomainError', () => {
    fc.assert(
      fc.property(fc.oneof(randomPath, nearlyValidPath, hostileInput), (input) => {
        expectOnlyDomainErrors(() => parseDigitalLinkPath(input));
        expectOnlyDomainErrors(() => encodeSet82Component(input as string));
        expectOnlyDomainErrors(() => buildDigitalLink(HOST, { gtin: GTIN, lot: input as string }));
        expectOnlyDomainErrors(() => buildDigitalLink(input as string, { gtin: GTIN }));
        expectOnlyDomainErrors(() => buildDigitalLink(HOST, { gtin: GTIN, query: { expiry: input as string } }));
        expectOnlyDomainErrors(() => buildDigitalLink(HOST, input as never));
      }),
      { numRuns: 2000 },
    );
  });
});
