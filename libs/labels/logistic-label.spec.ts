import { buildSscc } from '../codes';
import { pdfBarcodes, pdfText, requirePoppler, requireZbar, zbarDecodePng, zplBoxesPng } from '../testing/raster';
import { gs1128, logisticElementStrings, renderLogisticLabelPdf, renderLogisticLabelZpl, type LogisticLabelData } from './index';

const GS = '\x1d';
const sscc = buildSscc(0, '6901234', 1n);

const single: LogisticLabelData = {
  sscc,
  from: { name: '蒲江县猕猴桃专业合作社', address: '四川省成都市蒲江县鹤山街道', gln: '6901234000004' },
  to: { name: '成都农产品中心批发市场', address: '成都市金牛区', gln: null },
  contents: [{ gtin: '06901234567892', description: '蒲江猕猴桃', lotCode: '2610086EXT', quantity: { value: '200.5', unit: 'kg' } }],
  packedOn: '2026-12-04',
};

describe('GS1 logistic label', () => {
  beforeAll(() => {
    requirePoppler();
    requireZbar();
  });

  it('element strings: SSCC always; (02) GTIN + count (37) or net weight (310n) + lot (10) for one lot of one GTIN', () => {
    expect(logisticElementStrings(single)).toEqual([`(02)06901234567892(3101)002005(10)2610086EXT`, `(00)${sscc}`]);
    const counted = { ...single, contents: [{ ...single.contents[0], quantity: { value: '40', unit: '箱' } }] };
    expect(logisticElementStrings(counted)).toEqual([`(02)06901234567892(37)40(10)2610086EXT`, `(00)${sscc}`]);
    // 斤 is half a kilogram; grams become kg with three decimals.
    expect(logisticElementStrings({ ...single, contents: [{ ...single.contents[0], quantity: { value: '300', unit: '斤' } }] })[0])
      .toBe('(02)06901234567892(3100)000150(10)2610086EXT');
    expect(logisticElementStrings({ ...single, contents: [{ ...single.contents[0], quantity: { value: '1250', unit: 'g' } }] })[0])
      .toBe('(02)06901234567892(3102)000125(10)2610086EXT');
    // Mixed unit, or a product without a GTIN: the SSCC only.
    expect(logisticElementStrings({ ...single, contents: [single.contents[0], { ...single.contents[0], lotCode: 'B2' }] })).toEqual([`(00)${sscc}`]);
    expect(logisticElementStrings({ ...single, contents: [{ ...single.contents[0], gtin: null }] })).toEqual([`(00)${sscc}`]);
    // A fraction of a box cannot be a count: the quantity is left off rather than printed wrong.
    expect(logisticElementStrings({ ...single, contents: [{ ...single.contents[0], quantity: { value: '2.5', unit: '箱' } }] })[0])
      .toBe('(02)06901234567892(10)2610086EXT');
    expect(() => logisticElementStrings({ ...single, sscc: '069012340000000017' })).toThrow(expect.objectContaining({ code: 'INVALID_SSCC' }));
  });

  it('bwip-js refuses GS1 data its linter rejects (a wrong check digit)', () => {
    expect(() => gs1128('(00)069012340000000017')).toThrow(/checksum/i);
    expect(gs1128(`(00)${sscc}`).modules).toBeGreaterThan(100);
  });

  it('PDF: 100 × 150 mm pages whose barcodes zbar decodes back to the SSCC and the contents, with the human-readable text', async () => {
    const second = buildSscc(0, '6901234', 2n);
    const pdf = await renderLogisticLabelPdf([single, { ...single, sscc: second, to: null, contents: [{ ...single.contents[0], quantity: { value: '40', unit: '箱' } }] }]);
    const text = pdfText(pdf);
    for (const s of ['FROM 发货人', 'TO 收货人', '蒲江县猕猴桃专业合作社', '成都市金牛区', 'GLN 6901234000004', 'SSCC', sscc, 'BATCH/LOT', '2610086EXT', `(00)${sscc}`]) {
      expect(text).toContain(s);
    }
    const pages = pdfBarcodes(pdf, 203);
    expect(pages).toHaveLength(2);
    expect(pages[0].sort()).toEqual([`00${sscc}`, `02069012345678923101002005102610086EXT`].sort());
    // (37) is variable length: GS (FNC1) ends it before (10).
    expect(pages[1].sort()).toEqual([`00${second}`, `02069012345678923740${GS}102610086EXT`].sort());
    const size = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'))!;
    expect(Number(size[1]) / 72 * 25.4).toBeCloseTo(100, 0);
    expect(Number(size[2]) / 72 * 25.4).toBeCloseTo(150, 0);
  });

  it('ZPL: one 800 × 1200-dot format per unit; the bars it draws decode to the same data; text is escaped', () => {
    const zpl = renderLogisticLabelZpl([{ ...single, from: { ...single.from, name: '合作社^XZ~' } }]);
    expect(zpl.match(/\^XA/g)).toHaveLength(1);
    expect(zpl).toContain('^PW800\n^LL1200');
    expect(zpl).toContain('合作社_5EXZ_7E');
    expect(zpl).toContain(`^FD(00)${sscc}^FS`);
    const decoded = zbarDecodePng(zplBoxesPng(zpl, 800, 1200));
    expect(decoded.sort()).toEqual([`00${sscc}`, `02069012345678923101002005102610086EXT`].sort());
  });
});
