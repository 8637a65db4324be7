import { constants as zlibConstants, deflate } from 'node:zlib';
import { asField, DomainError } from '../errors';
import { cjkFont, type CjkWeight } from './cjk-font';
import { assertLabelsInput, type LabelContent, type RenderOptions } from './label-content';
import {
  ELLIPSIS,
  labelPlan,
  rowBaselinesMm,
  PER_LABEL_FIELDS,
  rowsFor,
  rowsKey,
  rowText,
  type LabelPlan,
  type TextRowPlan,
} from './label-plan';
import { LABEL_LAYOUTS, mmToPt, type LabelLayout } from './layouts';
import { qrMatrix, QR_QUIET_ZONE, type QrMatrix } from './qr-matrix';
import { qrPdfPath } from './qr-runs';
import { deflatePages } from './deflate-worker';
import type PDFDocumentClass from 'pdfkit';

/** pdfkit (with fontkit) takes a tenth of a second to load; only label and certificate renders need it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pdfDocument = (): typeof PDFDocumentClass => require('pdfkit') as typeof PDFDocumentClass;

/*
 * Fast label PDFs.
 *
 * pdfkit's drawing API is convenient but costly per call (`doc.text()` runs the line wrapper and
 * re-lays out the string, `doc.path()` parses SVG syntax). A 10,000-label run needs ~60,000 text
 * items and 10,000 QR codes, so instead of calling it per item this renderer
 *  - builds each QR from `qrMatrix()` (qrcode.create) and writes its dark modules as horizontal
 *    runs, one `re` per run in a per-symbol coordinate system (`q m 0 0 m x y cm … f Q`);
 *  - lays out each distinct string once per document through pdfkit's own font object (so the
 *    glyphs land in pdfkit's font subset and ToUnicode map) and caches the encoded glyph string,
 *    the fitted font size and the width; the serial, the only text that changes on every label, is
 *    composed from per-character glyphs;
 *  - writes each page's operators as one extra content stream, deflated at level
 *    CONTENT_DEFLATE_LEVEL = 4 off the main thread while the next page is laid out (zlib's
 *    default level 6 is ~2.5× slower for ~10 % smaller files; see bench/labels-pdf.ts): A4 pages
 *    on libuv's thread pool, roll pages (one label each) in batches on a worker (PageContents).
 *    pdfkit's own page stream (its y-flip `cm`) stays first, uncompressed.
 * pdfkit still writes the document: pages, resources, font subsetting/embedding, xref.
 *
 * The only pdfkit internals used are the current font object (`doc._font`: id, ref(), encode(),
 * and its fontkit `font`, reused by later documents),
 * the page's font resources (`doc.page.fonts`, typed: what pdfkit's own text() does), the page
 * dictionary's /Contents entry and the page content stream's compress flag / Filter. The round-trip tests (pdftotext, pdftoppm + jsqr) would
 * catch a pdfkit change there.
 */

/** Default zlib level for label content streams (RenderOptions.deflateLevel). */
export const CONTENT_DEFLATE_LEVEL = 4;

interface PdfkitPosition {
  xAdvance: number;
  advanceWidth: number;
  xOffset: number;
  yOffset: number;
}

interface PdfkitFont {
  id: string;
  ref(): unknown;
  encode(text: string): [string[], PdfkitPosition[]];
  /** The fontkit font behind it. */
  font: object;
}


/** Encoded glyphs of a string at 1000 units per em. */
interface GlyphRun {
  hex: string[];
  /** Advance of each glyph including kerning (1000 units/em). */
  advance: number[];
  /** xAdvance − advanceWidth per glyph: the TJ adjustment pdfkit would emit. */
  adjust: number[];
  width: number;
}

interface FittedText {
  /** Ready-to-use text operators without position: `/F1 7 Tf` and the show operator. */
  font: string;
  show: string;
  sizePt: number;
  widthPt: number;
}

/** Format a coordinate for the content stream: at most 3 decimals, no trailing zeros. */
function num(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

class FontHandle {
  private readonly runs = new Map<string, GlyphRun>();
  private readonly chars = new Map<string, GlyphRun>();

  constructor(readonly font: PdfkitFont) {}

  /** Whole-string layout (kerning, ligatures), cached for the document. */
  run(text: string): GlyphRun {
    let r = this.runs.get(text);
    if (!r) {
      const [hex, positions] = this.font.encode(text);
      const advance = positions.map((p) => p.xAdvance);
      r = {
        hex,
        advance,
        adjust: positions.map((p) => p.xAdvance - p.advanceWidth),
        width: advance.reduce((a, b) => a + b, 0),
      };
      this.runs.set(text, r);
    }
    return r;
  }

  /**
   * Glyph ids (hex) and width of `text` composed per character, or undefined when a character
   * has kerning or maps to several glyphs (then use charRun()).
   */
  simpleText(text: string): { hex: string; width: number } | undefined {
    let hex = '';
    let width = 0;
    for (const ch of text) {
      const c = this.char(ch);
      if (c.hex.length !== 1 || c.adjust[0] !== 0) return undefined;
      hex += c.hex[0];
      width += c.width;
    }
    return { hex, width };
  }

  /** One character's glyph run, laid out once and cached. */
  private char(ch: string): GlyphRun {
    let c = this.chars.get(ch);
    if (!c) {
      c = this.run(ch);
      this.chars.set(ch, c);
    }
    return c;
  }

  /** Per-character composition for strings that change on every label (serials, digits). */
  charRun(text: string): GlyphRun {
    const hex: string[] = [];
    const advance: number[] = [];
    const adjust: number[] = [];
    let width = 0;
    for (const ch of text) {
      const c = this.char(ch);
      for (let i = 0; i < c.hex.length; i++) {
        hex.push(c.hex[i]);
        advance.push(c.advance[i]);
        adjust.push(c.adjust[i]);
      }
      width += c.width;
    }
    return { hex, advance, adjust, width };
  }
}

function isPlain(run: GlyphRun): boolean {
  return run.adjust.every((a) => a === 0);
}

function concatRuns(a: GlyphRun, b: GlyphRun): GlyphRun {
  return {
    hex: a.hex.concat(b.hex),
    advance: a.advance.concat(b.advance),
    adjust: a.adjust.concat(b.adjust),
    width: a.width + b.width,
  };
}

/** `<…> Tj`, or a `[<…> n <…>] TJ` array where kerning moves a glyph (as pdfkit does). */
function showOperator(run: GlyphRun): string {
  const parts: string[] = [];
  let pending = '';
  for (let i = 0; i < run.hex.length; i++) {
    pending += run.hex[i];
    if (run.adjust[i] !== 0) {
      parts.push(`<${pending}> ${num(-run.adjust[i])}`);
      pending = '';
    }
  }
  if (parts.length === 0) return `<${pending}> Tj`;
  if (pending) parts.push(`<${pending}>`);
  return `[${parts.join(' ')}] TJ`;
}

/**
 * Fit `run` into `maxWidthPt`: the preferred size if it fits, else the size that makes it fit,
 * else (below `minSizePt`) truncated at the minimum size with an ellipsis. Never wraps.
 */
function fitRun(
  handle: FontHandle,
  run: GlyphRun,
  sizePt: number,
  minSizePt: number,
  maxWidthPt: number,
): { run: GlyphRun; sizePt: number } {
  if ((run.width * sizePt) / 1000 <= maxWidthPt) return { run, sizePt };
  const fitting = Math.floor(((maxWidthPt * 1000) / run.width) * 10) / 10; // 0.1 pt steps
  if (fitting >= minSizePt) return { run, sizePt: fitting };
  const ellipsis = handle.run(ELLIPSIS);
  const budget = (maxWidthPt * 1000) / minSizePt - ellipsis.width;
  let width = 0;
  let n = 0;
  while (n < run.hex.length && width + run.advance[n] <= budget) width += run.advance[n++];
  const cut: GlyphRun = {
    hex: run.hex.slice(0, n),
    advance: run.advance.slice(0, n),
    adjust: run.adjust.slice(0, n),
    width,
  };
  if (n > 0) cut.adjust[n - 1] = 0; // no kerning against the ellipsis
  return { run: concatRuns(cut, ellipsis), sizePt: minSizePt };
}

function fitted(font: PdfkitFont, fit: { run: GlyphRun; sizePt: number }): FittedText {
  return {
    font: `/${font.id} ${num(fit.sizePt)} Tf`,
    show: showOperator(fit.run),
    sizePt: fit.sizePt,
    widthPt: (fit.run.width * fit.sizePt) / 1000,
  };
}

interface RowGeometry {
  row: TextRowPlan;
  baselinePt: number;
}

/** Everything about one document that does not depend on a single label. */
class LabelPdfWriter {
  private readonly plan: LabelPlan;
  private readonly handles: Record<CjkWeight, FontHandle>;
  private readonly textCache = new Map<string, FittedText>();
  private readonly staticCache = new Map<string, string>();
  private readonly qrPrefixByVersion = new Map<number, string>();
  /** Row geometry per variant (with or without serial, with or without 有机码). */
  private readonly rowsByVariant = new Map<string, RowGeometry[]>();
  private readonly geometry: (rows: TextRowPlan[]) => RowGeometry[];
  private readonly textX: number;
  private readonly textWidth: number;
  private readonly textCenter: number;
  private readonly centered: boolean;
  private readonly caption: string;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    layout: LabelLayout,
  ) {
    this.plan = labelPlan(layout);
    this.handles = { regular: new FontHandle(this.embed('regular')), bold: new FontHandle(this.embed('bold')) };
    this.geometry = (rows: TextRowPlan[]): RowGeometry[] => {
      const baselines = rowBaselinesMm(this.plan, rows);
      return rows.map((row, i) => ({ row, baselinePt: mmToPt(baselines[i]) }));
    };
    this.textX = mmToPt(this.plan.text.xMm);
    this.textWidth = mmToPt(this.plan.text.widthMm);
    this.textCenter = this.textX + this.textWidth / 2;
    this.centered = this.plan.text.align === 'center';
    // The caption: centred under the QR box.
    const c = this.plan.caption;
    const fit = this.fit(
      { field: 'productName', prefix: '', weight: 'bold', sizePt: c.sizePt, minSizePt: c.sizePt },
      c.text,
      mmToPt(this.plan.qr.sizeMm),
    );
    this.caption = `${fit.font} 1 0 0 -1 ${num(mmToPt(c.centerXMm) - fit.widthPt / 2)} ${num(mmToPt(c.baselineMm))} Tm ${fit.show}`;
  }

  /**
   * Register the CJK font with this document and return pdfkit's font object for it. The font is
   * parsed once per process (cjkFont, shared with the other PDFs); each document still has its own
   * subset, so sharing it is safe.
   */
  private embed(weight: CjkWeight): PdfkitFont {
    const name = `cjk-${weight}`;
    this.doc.registerFont(name, cjkFont(weight));
    this.doc.font(name);
    const font = (this.doc as unknown as { _font?: PdfkitFont })._font;
    if (!font || typeof font.encode !== 'function' || typeof font.ref !== 'function' || !font.font) {
      throw new Error('pdfkit font object has an unexpected shape (pdfkit upgraded?)');
    }
    return font;
  }

  /** Make this page's /Font resources name both fonts (pdfkit's own text() does the same). */
  registerFontsOnPage(): void {
    const fonts = this.doc.page.fonts as Record<string, unknown>;
    for (const h of Object.values(this.handles)) fonts[h.font.id] = h.font.ref();
  }

  private fit(row: TextRowPlan, text: string, maxWidthPt: number): FittedText {
    const key = `${row.weight}\u0000${row.sizePt}\u0000${row.minSizePt}\u0000${maxWidthPt}\u0000${text}`;
    let f = this.textCache.get(key);
    if (!f) {
      const handle = this.handles[row.weight];
      f = fitted(handle.font, fitRun(handle, handle.run(text), row.sizePt, row.minSizePt, maxWidthPt));
      this.textCache.set(key, f);
    }
    return f;
  }

  private positioned(f: FittedText, baselinePt: number): string {
    const x = this.centered ? this.textCenter - f.widthPt / 2 : this.textX;
    // The page CTM is pdfkit's y-down one; the text matrix flips glyphs upright again.
    return `${f.font} 1 0 0 -1 ${num(x)} ${num(baselinePt)} Tm ${f.show}`;
  }

  private rowsOf(label: LabelContent): RowGeometry[] {
    const variant = rowsKey(label);
    let rows = this.rowsByVariant.get(variant);
    if (!rows) {
      rows = this.geometry(rowsFor(this.plan, label));
      this.rowsByVariant.set(variant, rows);
    }
    return rows;
  }

  /** Text operators of every row but the serial, 追溯码 and 有机码: identical for all labels of a lot. */
  private staticText(label: LabelContent, rows: RowGeometry[]): string {
    const key = `${rows.map((r) => r.row.field).join(',')}\u0000${label.productName}\u0000${label.lot}\u0000${label.date}\u0000${label.producer}`;
    let s = this.staticCache.get(key);
    if (s === undefined) {
      const ops: string[] = [this.caption];
      for (const { row, baselinePt } of rows) {
        if (PER_LABEL_FIELDS.includes(row.field)) continue;
        ops.push(this.positioned(this.fit(row, rowText(row, label), this.textWidth), baselinePt));
      }
      s = ops.join('\n');
      this.staticCache.set(key, s);
    }
    return s;
  }

  private serialText(serial: string, rows: RowGeometry[]): string {
    const g = rows.find((r) => r.row.field === 'serial');
    if (!g) return '';
    const handle = this.handles[g.row.weight];
    const prefix = handle.run(g.row.prefix);
    // Fast path, the usual case: no kerning in prefix or digits and the line fits at its
    // preferred size; then the show operator is just the glyph ids one after the other.
    const simple = handle.simpleText(serial);
    if (simple && isPlain(prefix) && ((prefix.width + simple.width) * g.row.sizePt) / 1000 <= this.textWidth) {
      const x = this.centered ? this.textCenter - ((prefix.width + simple.width) * g.row.sizePt) / 2000 : this.textX;
      return `/${handle.font.id} ${num(g.row.sizePt)} Tf 1 0 0 -1 ${num(x)} ${num(g.baselinePt)} Tm <${prefix.hex.join('')}${simple.hex}> Tj`;
    }
    const run = concatRuns(prefix, handle.charRun(serial));
    const f = fitted(handle.font, fitRun(handle, run, g.row.sizePt, g.row.minSizePt, this.textWidth));
    return this.positioned(f, g.baselinePt);
  }

  /** The 追溯码 row: different on every label, so fitted each time and never cached. */
  private traceCodeText(label: LabelContent, rows: RowGeometry[]): string {
    const g = rows.find((r) => r.row.field === 'traceCode');
    if (!g) return '';
    const handle = this.handles[g.row.weight];
    const f = fitted(handle.font, fitRun(handle, handle.run(rowText(g.row, label)), g.row.sizePt, g.row.minSizePt, this.textWidth));
    return this.positioned(f, g.baselinePt);
  }

  /** The 「有机码」 line: fitted per label and not cached (every code is different). */
  private organicCodeText(code: string, rows: RowGeometry[]): string {
    const g = rows.find((r) => r.row.field === 'organicCode');
    if (!g) return '';
    const handle = this.handles[g.row.weight];
    const run = concatRuns(handle.run(g.row.prefix), handle.charRun(code));
    return this.positioned(fitted(handle.font, fitRun(handle, run, g.row.sizePt, g.row.minSizePt, this.textWidth)), g.baselinePt);
  }

  private qrOperators(m: QrMatrix): string {
    let prefix = this.qrPrefixByVersion.get(m.version);
    if (prefix === undefined) {
      const box = this.plan.qr;
      const modulePt = mmToPt(box.sizeMm) / (m.size + 2 * QR_QUIET_ZONE);
      const x = mmToPt(box.xMm) + QR_QUIET_ZONE * modulePt;
      const y = mmToPt(box.yMm) + QR_QUIET_ZONE * modulePt;
      const scale = modulePt.toFixed(5);
      prefix = `q ${scale} 0 0 ${scale} ${num(x)} ${num(y)} cm`;
      this.qrPrefixByVersion.set(m.version, prefix);
    }
    return `${prefix}\n${qrPdfPath(m)}\nQ`;
  }

  /** Content-stream operators for one label whose cell's top-left corner is (x, y) in pt. */
  label(label: LabelContent, index: number, x: number, y: number): string {
    const m: QrMatrix = asField(`labels[${index}].qrText`, () => qrMatrix(label.qrText), { index });
    const rows = this.rowsOf(label);
    const serial = label.serial === undefined ? '' : `\n${this.serialText(label.serial, rows)}`;
    const code = label.traceCode === undefined ? '' : `\n${this.traceCodeText(label, rows)}`;
    const organic = label.organicCode === undefined ? '' : `\n${this.organicCodeText(label.organicCode, rows)}`;
    return (
      `q 1 0 0 1 ${num(x)} ${num(y)} cm\nBT\n${this.staticText(label, rows)}${serial}${code}${organic}\nET\n` +
      `${this.qrOperators(m)}\nQ`
    );
  }
}

/**
 * Pages below this many bytes (a roll label's ~3 KB; an A4 sheet's 40 labels are ~100 KB) are
 * compressed in batches of SMALL_PAGE_BATCH on the deflate worker (deflate-worker.ts): one zlib
 * call per tiny page, on the main thread or through libuv's pool, cost more than laying the label
 * out (issue 21, bench/labels-pdf.ts).
 */
const SMALL_PAGE_BYTES = 16 * 1024;
const SMALL_PAGE_BATCH = 64;

/** Points the current page at a second content stream (filled in later) and returns that stream. */
function addContentStream(doc: PDFKit.PDFDocument): PDFKit.PDFKitReference {
  // pdfkit's own stream only holds its ~20-byte y-flip: deflating it would cost a zlib set-up per
  // page (a 10,000-page roll run) for nothing.
  doc.page.content.compress = false;
  delete (doc.page.content.data as Record<string, unknown>).Filter; // set by pdfkit's first write
  const stream = doc.ref({ Filter: 'FlateDecode' });
  const page = doc.page.dictionary.data as unknown as { Contents: unknown };
  page.Contents = [doc.page.content, stream];
  return stream;
}

/** Z_FILTERED: ~7 % smaller than the default strategy on these operators, same speed. */
function deflateOnPool(content: string, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    deflate(Buffer.from(content, 'latin1'), { level, strategy: zlibConstants.Z_FILTERED }, (err, out) => (err ? reject(err) : resolve(out)));
  });
}

/**
 * Adds each page's operators as an extra content stream, compressed off the main thread while it
 * lays out the next pages: large pages one by one on libuv's thread pool (zlib.deflate), small
 * ones in batches on the deflate worker. pdfkit allows an object to be ended after its page (it
 * waits for every ref before writing the xref). `done()` resolves once every stream is written.
 */
class PageContents {
  private readonly inFlight: Promise<void>[] = [];
  private batch: { stream: PDFKit.PDFKitReference; content: string }[] = [];
  private error: unknown;

  constructor(private readonly doc: PDFKit.PDFDocument, private readonly level: number) {}

  add(content: string): void {
    const stream = addContentStream(this.doc);
    if (content.length >= SMALL_PAGE_BYTES) {
      this.track(deflateOnPool(content, this.level).then((out) => stream.end(out)));
      return;
    }
    this.batch.push({ stream, content });
    if (this.batch.length >= SMALL_PAGE_BATCH) this.sendBatch();
  }

  async done(): Promise<void> {
    this.sendBatch();
    await Promise.all(this.inFlight);
    if (this.error !== undefined) throw this.error;
  }

  private sendBatch(): void {
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    this.track(deflatePages(batch.map((p) => p.content), this.level).then((out) => {
      batch.forEach((p, i) => p.stream.end(out[i]));
    }));
  }

  private track(work: Promise<void>): void {
    this.inFlight.push(work.catch((err: unknown) => {
      this.error ??= err;
    }));
  }
}

/** Resolve after the event loop has had a turn (timers, I/O, other requests). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Render labels to a PDF. `a4-40`: 40 labels per A4 sheet, filled left to right, top to bottom;
 * roll layouts: one label per page. QR codes are vector paths. Throws DomainError for bad input
 * (UNKNOWN_LAYOUT, LABELS_EMPTY, LABEL_FIELD_INVALID, QR_TEXT_TOO_LONG, …), naming the field.
 */
export async function renderLabelsPdf(
  labels: LabelContent[],
  layout: LabelLayout,
  opts: RenderOptions = {},
): Promise<Buffer> {
  assertLabelsInput(labels, layout);
  const level = opts.deflateLevel ?? CONTENT_DEFLATE_LEVEL;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new DomainError('LABEL_OPTION_INVALID', 'deflateLevel must be an integer from 0 to 9', { field: 'deflateLevel' });
  }
  const spec = LABEL_LAYOUTS[layout];
  const pageSize = [mmToPt(spec.pageWidthMm), mmToPt(spec.pageHeightMm)];
  const cellW = mmToPt(spec.labelWidthMm);
  const cellH = mmToPt(spec.labelHeightMm);
  const perPage = spec.columns * spec.rows;

  const doc = new (pdfDocument())({
    size: pageSize,
    margin: 0,
    autoFirstPage: false,
    info: { Title: 'Labels', Creator: 'Tianfu Trace', Producer: 'Tianfu Trace (pdfkit)' },
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  finished.catch(() => undefined); // observed below; avoids an unhandled rejection meanwhile

  const writer = new LabelPdfWriter(doc, layout);
  const total = labels.length;
  // Progress: after each page, but at most ~100 calls for a run (roll layouts have a page per label).
  const progressStep = Math.max(perPage, Math.ceil(total / 100));
  let reported = 0;
  let lastYield = performance.now();
  const contents = new PageContents(doc, level);
  for (let start = 0; start < total; start += perPage) {
    const end = Math.min(total, start + perPage);
    doc.addPage({ size: pageSize, margin: 0 });
    writer.registerFontsOnPage();
    const parts: string[] = new Array(end - start);
    for (let i = start; i < end; i++) {
      const cell = i - start;
      const x = (cell % spec.columns) * cellW;
      const y = Math.floor(cell / spec.columns) * cellH;
      parts[cell] = writer.label(labels[i], i, x, y);
    }
    contents.add(parts.join('\n'));
    if (opts.onProgress && (end - reported >= progressStep || end === total)) {
      reported = end;
      await opts.onProgress(end, total);
    }
    if (performance.now() - lastYield > 25) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
  await contents.done();
  doc.end();
  return finished;
}
