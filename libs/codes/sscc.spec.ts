import fc from 'fast-check';
import { buildSscc, isValidSscc, normalizeCompanyPrefix, normalizeSscc, ssccCapacity, ssccFromScan } from './sscc';

describe('SSCC', () => {
  it('builds extension + prefix + serial reference + check digit ', () => {
    expect(buildSscc(3, '0614141', 123456789n)).toBe('306141411234567891');
    expect(normalizeSscc('306141411234567891')).toBe('306141411234567891');
    expect(isValidSscc('306141411234567892')).toBe(false);
    expect(isValidSscc('30614141123456789')).toBe(false);
  });

  it('leaves 10^(16 - prefix length) serial references per extension digit', () => {
    expect(ssccCapacity('6901234')).toBe(10n ** 9n);
    expect(() => buildSscc(0, '690123456789', 10_000n)).toThrow();
    expect(buildSscc(0, '690123456789', 9_999n)).toMatch(/^0690123456789\d{5}$/);
  });

  it('checks company prefixes', () => {
    expect(normalizeCompanyPrefix('6901234')).toBe('6901234');
    expect(() => normalizeCompanyPrefix('69012')).toThrow();
    expect(() => normalizeCompanyPrefix('6901234567890')).toThrow();
  });

  it('every SSCC it builds is valid and keeps its parts (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 9 }), fc.stringMatching(/^\d{6,12}$/), fc.bigInt({ min: 0n, max: 9_999n }), (e, prefix, serial) => {
      const sscc = buildSscc(e, prefix, serial);
      expect(isValidSscc(sscc)).toBe(true);
      expect(sscc.slice(0, 1 + prefix.length)).toBe(`${e}${prefix}`);
      expect(BigInt(sscc.slice(1 + prefix.length, 17))).toBe(serial);
    }));
  });
});

describe('ssccFromScan', () => {
  it('reads the SSCC from what scanners send', () => {
    for (const scan of ['069012340000000016', '00069012340000000016', '(00)069012340000000016', ']C100069012340000000016',
      ' (00) 0 6901234 000000001 6 ', 'https://id.gs1.org/00/069012340000000016', 'https://trace.example.cn/00/069012340000000016?x=1']) {
      expect(ssccFromScan(scan)).toBe('069012340000000016');
    }
    for (const bad of ['', '(01)06901234567892', '0690123400000000', '069012340000000017', 42]) {
      expect(() => ssccFromScan(bad)).toThrow(expect.objectContaining({ code: 'INVALID_SSCC' }));
    }
  });
});
