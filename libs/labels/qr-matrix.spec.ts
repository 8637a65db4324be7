import { create } from 'qrcode';
import { DomainError } from '../errors';
import { qrMatrix, qrPng, qrSvg } from './index';
import { byteModeVersion, optimalSegments, QR_DATA_CODEWORDS_M } from './qr-segments';
import { decodePng } from '../testing/raster';

/** Deterministic pseudo-random inputs: trace URLs, Digital Links, digits, CJK, long text. */
function inputs(count: number): string[] {
  let seed = 12345;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  const from = (alphabet: string, n: number): string => {
    const chars = Array.from(alphabet);
    return Array.from({ length: n }, () => chars[next() % chars.length]).join('');
  };
  const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    switch (i % 8) {
      case 0: out.push(`https://trace.example.cn/t/${from(crockford, 13)}`); break;
      case 1: out.push(`HTTPS://TRACE.EXAMPLE.CN/T/${from(crockford, 13)}`); break;
      case 2: out.push(`https://trace.example.cn/01/06901234567892/10/2611270A3F/21/${from(crockford, 13)}`); break;
      case 3: out.push(from('0123456789', 1 + (next() % 120))); break;
      case 4: out.push(`蒲江猕猴桃${from(crockford, 1 + (next() % 200))}`); break;
      case 5: out.push(from(crockford, 1 + (next() % 900))); break;
      case 6: out.push(from('0123456789ABC:/ .a€😀猕', 1 + (next() % 400))); break;
      default: out.push(`${from('0123456789', next() % 40)}ab${from(crockford, 13)}`); break;
    }
  }
  return out;
}

describe('qrMatrix', () => {
  it('is bit-for-bit the symbol qrcode.create builds (level M, automatic mask) from the same segments', () => {
    for (const text of inputs(600)) {
      const ours = qrMatrix(text);
      const ref = create(optimalSegments(text), { errorCorrectionLevel: 'M' });
      expect({ text, version: ours.version, size: ours.size }).toEqual({ text, version: ref.version, size: ref.modules.size });
      expect(Buffer.from(ours.modules).equals(Buffer.from(ref.modules.data))).toBe(true);
    }
  });

  it('never needs a larger version than qrcode.create(text) with its own segmentation', () => {
    for (const text of inputs(400)) {
      expect(qrMatrix(text).version).toBeLessThanOrEqual(create(text, { errorCorrectionLevel: 'M' }).version);
    }
  });

  it('puts the GTIN of a Digital Link in numeric mode (version 4, not 5 as pure bytes)', () => {
    const dl = 'https://trace.example.cn/01/06901234567892/10/2611270A3F/21/0K5M7Q2X9ABCD';
    expect(byteModeVersion(dl)).toBe(5);
    expect(qrMatrix(dl).version).toBe(4);
    expect(optimalSegments(dl).map((s) => s.mode)).toContain('numeric');
  });

  it('uses the ISO/IEC 18004 data capacities at level M (cross-checked with qrcode internals)', () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const utils = require('qrcode/lib/core/utils') as { getSymbolTotalCodewords(v: number): number };
    const ecc = require('qrcode/lib/core/error-correction-code') as { getTotalCodewordsCount(v: number, l: unknown): number };
    const levels = require('qrcode/lib/core/error-correction-level') as { M: unknown };
    /* eslint-enable @typescript-eslint/no-require-imports */
    for (let v = 1; v <= 40; v++) {
      expect(QR_DATA_CODEWORDS_M[v - 1]).toBe(utils.getSymbolTotalCodewords(v) - ecc.getTotalCodewordsCount(v, levels.M));
    }
  });

  it('rejects empty, malformed and oversized text with a DomainError', () => {
    const code = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(DomainError);
        return (err as DomainError).code;
      }
      return undefined;
    };
    expect(code(() => qrMatrix(''))).toBe('QR_TEXT_EMPTY');
    expect(code(() => qrMatrix('abc\uD800'))).toBe('QR_TEXT_INVALID');
    expect(code(() => qrMatrix('x'.repeat(2332)))).toBe('QR_TEXT_TOO_LONG'); // 2331 bytes is the level-M maximum
    expect(qrMatrix('x'.repeat(2331)).version).toBe(40);
    expect(qrMatrix('1'.repeat(5000)).version).toBeLessThanOrEqual(40); // numeric mode packs more
  });
});

describe('qrSvg and qrPng', () => {
  const url = 'https://trace.example.cn/t/0K5M7Q2X9ABCD';

  it('qrSvg draws exactly the dark modules of qrMatrix, with the quiet zone in the viewBox', () => {
    const m = qrMatrix(url);
    const svg = qrSvg(url, { moduleSize: 3, margin: 4 });
    const n = m.size + 8;
    expect(svg).toContain(`viewBox="0 0 ${n} ${n}"`);
    expect(svg).toContain(`width="${n * 3}"`);
    const d = /<path fill="#000" d="([^"]+)"/.exec(svg)![1];
    const drawn = new Uint8Array(m.size * m.size);
    for (const [, x, y, w] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
      for (let c = 0; c < Number(w); c++) drawn[(Number(y) - 4) * m.size + Number(x) - 4 + c] = 1;
    }
    expect(Buffer.from(drawn).equals(Buffer.from(m.modules))).toBe(true);
  });

  it('qrPng is a PNG that decodes back to the text', async () => {
    for (const text of [url, 'https://trace.example.cn/01/06901234567892/10/2611270A3F/21/0K5M7Q2X9ABCD', '蒲江猕猴桃 https://例子.cn/t/1']) {
      const png = await qrPng(text, { scale: 4 });
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(decodePng(png)).toBe(text);
    }
  });

  it('rejects bad options and bad text with a DomainError', async () => {
    expect(() => qrSvg(url, { margin: -1 })).toThrow(DomainError);
    expect(() => qrSvg(url, { moduleSize: 0 })).toThrow(DomainError);
    expect(() => qrSvg('x'.repeat(3000))).toThrow(expect.objectContaining({ code: 'QR_TEXT_TOO_LONG' }));
    await expect(qrPng(url, { scale: 0 })).rejects.toBeInstanceOf(DomainError);
    await expect(qrPng('x'.repeat(3000))).rejects.toMatchObject({ code: 'QR_TEXT_TOO_LONG' });
  });
});
