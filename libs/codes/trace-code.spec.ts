import fc from 'fast-check';
import { create as createQr, QRCodeSegment } from 'qrcode';
import { buildDigitalLink } from './digital-link';
import { isSet82 } from './gs1-set82';
import {
  generateLotCode,
  generateTraceCode,
  generateTraceCodes,
  groupTraceCode,
  isTraceCodeFormat,
  normalizeTraceCodeInput,
  TRACE_CODE_ALPHABET,
} from './trace-code';
import { domainErrorOf, expectOnlyDomainErrors, hostileInput } from './code-arbitraries.test-helper';
// The real encoder picks the version from the segmented data before masking; fixing the mask skips
// the 8-way mask penalty search (three quarters of the time) without changing the version.
const qrVersion = (text: string) => createQr(text, { errorCorrectionLevel: 'M', maskPattern: 0 }).version;
/** The version of one fixed segmentation: the encoder's own (optimal) segmentation never needs more. */
const segmentedQrVersion = (segments: QRCodeSegment[]) =>
  createQr(segments, { errorCorrectionLevel: 'M', maskPattern: 0 }).version;
const traceCode = fc.string({ unit: fc.constantFrom(...TRACE_CODE_ALPHABET), minLength: 13, maxLength: 13 });

describe('trace codes', () => {
  describe('a batch of 10,000 codes', () => {
    const codes = generateTraceCodes(10_000);
    const lot = generateLotCode('2026-03-14');

    it('is distinct and well formed', () => {
      expect(codes).toHaveLength(10_000);
      expect(new Set(codes).size).toBe(10_000);
      for (const code of codes) expect(isTraceCodeFormat(code)).toBe(true);
    });

    it('uses every character at every position (the bit slicing covers all 5 bits)', () => {
      for (let pos = 0; pos < 13; pos++) {
        expect(new Set(codes.map((c) => c[pos])).size).toBe(32);
      }
    });

    // Every character of a trace code and of a lot code is in the QR alphanumeric set, so "the host in
    // byte mode, the rest alphanumeric" is a valid segmentation of every such URL, all of one length;
    // the encoder picks a segmentation at least as short, so these two encodings bound every code's
    // version (encoding all 20,000 texts took seconds). A sample checks the real encoder too.
    it('fits a QR of version ≤ 4 at level M, as a short URL and as a Digital Link', () => {
      const host = 'https://trace.example.cn';
      const digitalLink = (code: string) => buildDigitalLink(host, { gtin: '06901234567892', lot, serial: code });
      expect(digitalLink(codes[0])).toBe(`${host}/01/06901234567892/10/${lot}/21/${codes[0]}`);
      expect(segmentedQrVersion([{ data: Buffer.from(`${host}/t/`), mode: 'byte' }, { data: codes[0], mode: 'alphanumeric' }])).toBeLessThanOrEqual(4);
      expect(segmentedQrVersion([{ data: Buffer.from(host), mode: 'byte' }, { data: digitalLink(codes[0]).slice(host.length), mode: 'alphanumeric' }])).toBeLessThanOrEqual(4);
      for (const code of codes.slice(0, 50)) {
        expect(qrVersion(`${host}/t/${code}`)).toBeLessThanOrEqual(4);
        expect(qrVersion(digitalLink(code))).toBeLessThanOrEqual(4);
      }
    });
  });

  it('generates single codes and empty batches', () => {
    expect(isTraceCodeFormat(generateTraceCode())).toBe(true);
    expect(generateTraceCodes(0)).toEqual([]);
  });

  it.each([-1, 1.5, Number.NaN, 1_000_001, '10'])('refuses a count of %p', (n) => {
    expect(domainErrorOf(() => generateTraceCodes(n as number)).details).toMatchObject({ field: 'count', rule: 'range' });
  });

  it.each(['0123456789ABc', '0123456789ABU', '0123456789AB', '0123456789ABCD', '0123456789ABI', 7])(
    'isTraceCodeFormat(%p) is false',
    (s) => expect(isTraceCodeFormat(s)).toBe(false),
  );

  describe('normalizeTraceCodeInput', () => {
    it.each([
      ['7m3k-9q2x-4hv0a', '7M3K9Q2X4HV0A'],
      [' 7M3K 9Q2X 4HVOA ', '7M3K9Q2X4HV0A'],
      ['ilL0oO1234567', '1110001234567'],
      ['７Ｍ３Ｋ９Ｑ２Ｘ４ＨＶ０Ａ', '7M3K9Q2X4HV0A'],
    ])('%s → %s', (typed, code) => expect(normalizeTraceCodeInput(typed)).toBe(code));

    it.each([
      ['7M3K9Q2X4HV0U', 'charset'],
      ['7M3K9Q2X4HV0', 'length'],
      ['7M3K9Q2X4HV0AB', 'length'],
      ['https://trace.example.cn/t/7M3K9Q2X4HV0A', 'charset'],
      ['', 'length'],
      ['A'.repeat(65), 'length'],
    ])('%s → %s', (typed, rule) => {
      const error = domainErrorOf(() => normalizeTraceCodeInput(typed));
      expect(error.code).toBe('INVALID_TRACE_CODE');
      expect(error.details).toMatchObject({ field: 'traceCode', rule });
    });

    it('recovers any code typed in lower case, with separators and O/I/L look-alikes', () => {
      const lookAlike: Record<string, string[]> = { '0': ['0', 'O', 'o'], '1': ['1', 'I', 'i', 'L', 'l'] };
      const typed = traceCode.chain((code) =>
        fc
          .tuple(
            ...[...code].map((ch) =>
              fc.tuple(
                fc.constantFrom(...(lookAlike[ch] ?? [ch, ch.toLowerCase()])),
                fc.constantFrom('', '', '', ' ', '-', '\u3000'),
              ),
            ),
          )
          .map((chars) => ({ code, typed: chars.map(([c, sep]) => c + sep).join('') })),
      );
      fc.assert(fc.property(typed, ({ code, typed: t }) => expect(normalizeTraceCodeInput(t)).toBe(code)));
    });

    it('arbitrary input only ever throws a DomainError', () => {
      fc.assert(
        fc.property(hostileInput, (input) => {
          expectOnlyDomainErrors(() => normalizeTraceCodeInput(input));
          expect(typeof isTraceCodeFormat(input)).toBe('boolean');
          expectOnlyDomainErrors(() => generateLotCode(input as string));
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('groupTraceCode', () => {
    it('groups by four, a lone last character joining the group before it', () => {
      expect(groupTraceCode('742B4XNBN9ZD3')).toBe('742B 4XNB N9ZD3');
      expect(groupTraceCode('ABCDEFGH')).toBe('ABCD EFGH');
      expect(groupTraceCode('ABC')).toBe('ABC');
    });

    it('reads back, typed in lower case with spaces or hyphens, as the code', () => {
      fc.assert(
        fc.property(fc.constant(null), () => {
          const code = generateTraceCode();
          const printed = groupTraceCode(code);
          expect(normalizeTraceCodeInput(printed.toLowerCase())).toBe(code);
          expect(normalizeTraceCodeInput(printed.replace(/ /g, '-'))).toBe(code);
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('generateLotCode', () => {
    it('is YYMMDD plus 4 random upper-case set-82 characters', () => {
      fc.assert(
        fc.property(
          fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
          (d) => {
            const iso = d.toISOString().slice(0, 10);
            const lot = generateLotCode(iso);
            expect(lot).toHaveLength(10);
            expect(lot.slice(0, 6)).toBe(iso.slice(2).replaceAll('-', ''));
            expect(lot).toMatch(/^\d{6}[0-9A-HJKMNP-TV-Z]{4}$/);
            expect(isSet82(lot)).toBe(true);
          },
        ),
      );
    });

    it.each(['2026-02-30', '2026-13-01', '2026-3-14', '14/03/2026', ''])('rejects %j', (date) => {
      const error = domainErrorOf(() => generateLotCode(date));
      expect(error.code).toBe('INVALID_LOT_CODE');
      expect(error.details).toMatchObject({ field: 'producedOn', rule: 'date' });
    });
  });
});
