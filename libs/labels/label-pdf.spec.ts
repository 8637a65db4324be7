import { execFileSync } from 'node:child_process';
import { inflateSync } from 'node:zlib';
import { DomainError } from '../errors';
import { LABEL_LAYOUTS, renderLabelsPdf, type LabelContent, type LabelLayout } from './index';
import { labelPlan } from './label-plan';
import { crop, decodeQr, pdfText, rasterisePdf, requirePoppler, type Raster } from '../testing/raster';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function code(i: number): string {
  let x = (i * 2654435761 + 97) >>> 0;
  let s = '';
  for (let k = 0; k < 13; k++) {
    s += CROCKFORD[x % 32];
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
  }
  return s;
}

function makeLabels(n: number): LabelContent[] {
  return Array.from({ length: n }, (_, i) => ({
    qrText:
      i % 3 === 0
        ? `https://trace.example.cn/01/06901234567892/10/2611270A3F/21/${code(i)}`
        : i % 7 === 5
          ? `https://trace.example.cn/t/${code(i)}?来源=蒲江` // UTF-8 bytes in the QR
          : `https://trace.example.cn/t/${code(i)}`,
    productName: i % 5 === 4 ? '郫县豆瓣（特级红油，长期发酵三年陈酿，非物质文化遗产传统工艺）' : '蒲江猕猴桃（红阳）',
    lot: '2611270A3F',
    ...(i % 11 === 10 ? {} : { serial: String(i + 1).padStart(6, '0') }), // some batch labels
    traceCode: code(i),
    date: '2026-11-27',
    producer: i % 4 === 3 ? '四川省成都市郫都区鹃城豆瓣酱传统工艺非遗传承专业合作社联合社' : '蒲江县绿源猕猴桃专业合作社',
  }));
}

const DPI = 300;
const pxPerMm = DPI / 25.4;

/** Decode the QR of every label: crop its cell from the page raster using the layout geometry. */
function decodeAll(pages: Raster[], layout: LabelLayout, count: number): (string | null)[] {
  const spec = LABEL_LAYOUTS[layout];
  const perPage = spec.columns * spec.rows;
  const plan = labelPlan(layout);
  const out: (string | null)[] = [];
  for (let i = 0; i < count; i++) {
    const page = pages[Math.floor(i / perPage)];
    const cell = i % perPage;
    const cellX = (cell % spec.columns) * spec.labelWidthMm;
    const cellY = Math.floor(cell / spec.columns) * spec.labelHeightMm;
    // The QR box (quiet zone included) of this cell, plus 0.3 mm.
    const x = (cellX + plan.qr.xMm - 0.3) * pxPerMm;
    const y = (cellY + plan.qr.yMm - 0.3) * pxPerMm;
    const s = (plan.qr.sizeMm + 0.6) * pxPerMm;
    let text = decodeQr(crop(page, x, y, s, s));
    // Fallback: the whole cell (still only this label).
    if (text === null) {
      text = decodeQr(crop(page, cellX * pxPerMm, cellY * pxPerMm, spec.labelWidthMm * pxPerMm, spec.labelHeightMm * pxPerMm));
    }
    out.push(text);
  }
  return out;
}

/** Decompressed content streams of a PDF (pdfkit writes plain objects, no object streams). */
function contentStreams(pdf: Buffer): string[] {
  const out: string[] = [];
  const s = pdf.toString('latin1');
  const re = /<<([^]*?)>>\s*stream\n/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const len = Number(/\/Length (\d+)/.exec(m[1])?.[1]);
    const body = pdf.subarray(m.index + m[0].length, m.index + m[0].length + len);
    out.push(/FlateDecode/.test(m[1]) ? inflateSync(body).toString('latin1') : body.toString('latin1'));
  }
  return out;
}

beforeAll(() => requirePoppler());

describe('renderLabelsPdf', () => {
  it('a4-40: every QR on a 44-label run (two sheets) decodes to its qrText', async () => {
    const labels = makeLabels(44);
    const pdf = await renderLabelsPdf(labels, 'a4-40');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = rasterisePdf(pdf, DPI);
    expect(pages).toHaveLength(2);
    // A4 at 300 dpi: 2480 × 3508 px.
    expect(Math.abs(pages[0].width - 2480)).toBeLessThanOrEqual(1);
    expect(Math.abs(pages[0].height - 3508)).toBeLessThanOrEqual(1);
    expect(decodeAll(pages, 'a4-40', labels.length)).toEqual(labels.map((l) => l.qrText));
  });

  it('roll-60x40 and roll-60x80: one label per page, every QR decodes', async () => {
    for (const layout of ['roll-60x40', 'roll-60x80'] as const) {
      const labels = makeLabels(4);
      const pages = rasterisePdf(await renderLabelsPdf(labels, layout), DPI);
      expect(pages).toHaveLength(4);
      const spec = LABEL_LAYOUTS[layout];
      expect(Math.abs(pages[0].width - spec.pageWidthMm * pxPerMm)).toBeLessThanOrEqual(1);
      expect(Math.abs(pages[0].height - spec.pageHeightMm * pxPerMm)).toBeLessThanOrEqual(1);
      expect(decodeAll(pages, layout, labels.length)).toEqual(labels.map((l) => l.qrText));
    }
  });

  it('text is real, extractable text: product, producer, lot, serial, date and 扫码溯源', async () => {
    const labels = makeLabels(12);
    for (const layout of ['a4-40', 'roll-60x40', 'roll-60x80'] as const) {
      const text = pdfText(await renderLabelsPdf(labels, layout));
      for (const s of ['蒲江猕猴桃（红阳）', '蒲江县绿源猕猴桃专业合作社', '2611270A3F', '扫码溯源', '2026-11-27', '000001', '000012']) {
        expect({ layout, s, found: text.includes(s) }).toEqual({ layout, s, found: true });
      }
      // Too long for one line even at the minimum size: truncated with an ellipsis, not wrapped.
      expect(text).toContain('郫县豆瓣（特级红油');
      expect(text).toContain('…');
      expect(text).not.toContain('非物质文化遗产传统工艺）');
      // Batch labels (no serial) have no 序号 line: 12 labels, label 11 has no serial.
      expect(text.match(/序号/g)).toHaveLength(11);
    }
  });

  it('every layout prints each label\'s trace code (grouped), and all text 3 mm or more from the sheet edge', async () => {
    const labels = makeLabels(44);
    const ptPerMm = 72 / 25.4;
    for (const layout of ['a4-40', 'roll-60x40', 'roll-60x80'] as const) {
      const pdf = await renderLabelsPdf(labels, layout);
      const text = pdfText(pdf).replace(/\s+/g, ' ');
      for (const l of labels) {
        const grouped = l.traceCode!.replace(/^(.{4})(.{4})(.{5})$/, '$1 $2 $3');
        expect({ layout, grouped, found: text.includes(grouped) }).toEqual({ layout, grouped, found: true });
      }
      const spec = LABEL_LAYOUTS[layout];
      const html = execFileSync('pdftotext', ['-bbox', '-', '-'], { input: pdf }).toString('utf8');
      const margin = 3 * ptPerMm - 0.1;
      for (const m of html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g)) {
        const [xMin, yMin, xMax, yMax] = [m[1], m[2], m[3], m[4]].map(Number);
        const inside = xMin >= margin && yMin >= margin && xMax <= spec.pageWidthMm * ptPerMm - margin && yMax <= spec.pageHeightMm * ptPerMm - margin;
        expect({ layout, word: m[5], inside }).toEqual({ layout, word: m[5], inside: true });
      }
    }
  });

  it('draws QR codes as vector rectangles, embeds a font subset and no images', async () => {
    const pdf = await renderLabelsPdf(makeLabels(3), 'roll-60x40');
    const raw = pdf.toString('latin1');
    expect(raw).not.toMatch(/\/Subtype\s*\/Image/);
    expect(raw).toMatch(/\/FontFile3/); // CFF font program, subset
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
    const ops = contentStreams(pdf).join('\n');
    expect(ops).toMatch(/^\d+ \d+ \d+ \d+ re$/m);
    expect(ops).toContain('\nf\nQ');
  });

  it('fits text in its cell: no text run wider than the text column', async () => {
    // Rendering the same string twice must give identical positions (cached layout) and the
    // shrunken font size must keep the line inside the column: check via pdftotext -bbox.
    const pdf = await renderLabelsPdf(makeLabels(40), 'a4-40');
    const html = execFileSync('pdftotext', ['-bbox', '-', '-'], { input: pdf }).toString('utf8');
    const plan = labelPlan('a4-40');
    const ptPerMm = 72 / 25.4;
    const cellW = 52.5 * ptPerMm;
    let words = 0;
    for (const m of html.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"/g)) {
      const xMin = Number(m[1]);
      const xMax = Number(m[2]);
      const cellX = Math.floor(xMin / cellW) * cellW;
      // Every word stays inside its own cell, right edge within the text column (+0.5 pt).
      expect(xMax).toBeLessThanOrEqual(cellX + (plan.text.xMm + plan.text.widthMm) * ptPerMm + 0.5);
      words++;
    }
    expect(words).toBeGreaterThan(40 * 5);
  });

  it('reports progress per page, awaiting an async callback, ending at (total, total)', async () => {
    const calls: [number, number][] = [];
    let inFlight = false;
    await renderLabelsPdf(makeLabels(100), 'a4-40', {
      onProgress: async (done, total) => {
        expect(inFlight).toBe(false);
        inFlight = true;
        await new Promise((r) => setTimeout(r, 5));
        inFlight = false;
        calls.push([done, total]);
      },
    });
    expect(calls).toEqual([
      [40, 100],
      [80, 100],
      [100, 100],
    ]);
    // Roll layouts have a page per label: at most ~100 progress calls, the last one complete.
    const roll: number[] = [];
    await renderLabelsPdf(makeLabels(300), 'roll-60x40', { onProgress: (done) => void roll.push(done) });
    expect(roll.length).toBeLessThanOrEqual(101);
    expect(roll[roll.length - 1]).toBe(300);
    expect([...roll].sort((a, b) => a - b)).toEqual(roll);
  });

  it('rejects bad input with a DomainError naming the problem', async () => {
    const good = makeLabels(1)[0];
    const cases: [LabelContent[], string, string][] = [
      [[], 'a4-40', 'LABELS_EMPTY'],
      [[good], 'a4-41', 'UNKNOWN_LAYOUT'],
      [[good, { ...good, qrText: `https://trace.example.cn/t/${'A'.repeat(5000)}` }], 'a4-40', 'QR_TEXT_TOO_LONG'],
      [[{ ...good, qrText: '' }], 'a4-40', 'LABEL_FIELD_INVALID'],
      [[{ ...good, date: '2026-13-01' }], 'a4-40', 'LABEL_FIELD_INVALID'],
      [[{ ...good, productName: '蒲江\n猕猴桃' }], 'roll-60x40', 'LABEL_FIELD_INVALID'],
      [[{ ...good, serial: '' }], 'roll-60x40', 'LABEL_FIELD_INVALID'],
    ];
    for (const [labels, layout, code] of cases) {
      const err = await renderLabelsPdf(labels, layout as LabelLayout).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect({ layout, code: (err as DomainError).code }).toEqual({ layout, code });
    }
    const tooLong = await renderLabelsPdf([good, { ...good, qrText: 'x'.repeat(3000) }], 'a4-40').catch((e: unknown) => e);
    expect((tooLong as DomainError).details).toMatchObject({ field: 'labels[1].qrText', index: 1 });
  });

  it('renders concurrent runs independently (fonts are parsed once and shared)', async () => {
    const a = makeLabels(45);
    const b = makeLabels(3).map((l) => ({ ...l, productName: '汉源花椒（大红袍）', producer: '汉源县清溪花椒专业合作社' }));
    const [pa, pb] = await Promise.all([renderLabelsPdf(a, 'a4-40'), renderLabelsPdf(b, 'roll-60x80')]);
    const ta = pdfText(pa);
    const tb = pdfText(pb);
    expect(ta).toContain('蒲江猕猴桃（红阳）');
    expect(ta).not.toContain('汉源花椒');
    expect(tb).toContain('汉源花椒（大红袍）');
    expect(tb).toContain('汉源县清溪花椒专业合作社');
    expect(decodeAll(rasterisePdf(pb, DPI), 'roll-60x80', 3)).toEqual(b.map((l) => l.qrText));
  });

  it('accepts a deflate level from 0 to 9 and rejects others', async () => {
    const labels = makeLabels(40);
    const stored = await renderLabelsPdf(labels, 'a4-40', { deflateLevel: 0 });
    const best = await renderLabelsPdf(labels, 'a4-40', { deflateLevel: 9 });
    expect(stored.length).toBeGreaterThan(best.length);
    expect(pdfText(stored)).toContain('扫码溯源');
    await expect(renderLabelsPdf(labels, 'a4-40', { deflateLevel: 10 })).rejects.toMatchObject({ code: 'LABEL_OPTION_INVALID' });
  });

  it('renders an empty product or producer name as a blank line', async () => {
    const text = pdfText(await renderLabelsPdf([{ ...makeLabels(1)[0], productName: '', producer: '' }], 'roll-60x40'));
    expect(text).toContain('2611270A3F');
  });
});
