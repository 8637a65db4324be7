import * as fontkit from 'fontkit';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/*
 * CJK font for label PDFs: Noto Sans Hans (Noto Sans CJK, Simplified Chinese region subset,
 * ~30,900 glyphs, OpenType/CFF, SIL OFL 1.1) from the npm package `@embedpdf/fonts-sc`, so a fresh
 * clone gets it with `npm install`. pdfkit (fontkit) embeds only the glyphs a document uses, as a
 * CIDFontType0C subset with a ToUnicode map (text stays searchable and extractable).
 *
 * Parsing the 8.5 MB font (its CFF tables, cmap, glyph outlines as they are used) is most of what
 * a short PDF costs: `cjkFont` parses each weight once per process and every document shares the
 * parsed font (pdfkit still makes a subset per document; fontkit's font object is read-only to it
 * apart from its glyph cache, which only grows up to the font's glyph count). bench/recall-pdf.ts.
 *
 * The package's `exports` map only exposes its JS entry, so the .otf files are found relative to
 * the resolved entry (`dist/index.cjs` → `../fonts/`).
 */
export type CjkWeight = 'regular' | 'bold';

const FILES: Record<CjkWeight, string> = {
  regular: 'NotoSansHans-Regular.otf',
  bold: 'NotoSansHans-Bold.otf',
};

const cache = new Map<CjkWeight, Buffer>();

function cjkFontPath(weight: CjkWeight): string {
  let entry: string;
  try {
    entry = require.resolve('@embedpdf/fonts-sc');
  } catch {
    // A deployment fault, not bad input: a plain Error (HTTP 500 / job retried), never a DomainError.
    throw new Error('npm package @embedpdf/fonts-sc is not installed (run npm install)');
  }
  return join(dirname(entry), '..', 'fonts', FILES[weight]);
}

/** The font file's bytes, read once per process (~8.5 MB each). */
export function cjkFontData(weight: CjkWeight): Buffer {
  let data = cache.get(weight);
  if (!data) {
    const path = cjkFontPath(weight);
    try {
      data = readFileSync(path);
    } catch {
      throw new Error(`CJK font file not found: ${path} (reinstall @embedpdf/fonts-sc)`);
    }
    cache.set(weight, data);
  }
  return data;
}

const parsed = new Map<CjkWeight, fontkit.Font>();

/** The font parsed once per process, for `doc.registerFont(name, cjkFont(weight))`. */
export function cjkFont(weight: CjkWeight): PDFKit.Mixins.PDFFontSource {
  let font = parsed.get(weight);
  if (!font) parsed.set(weight, (font = fontkit.create(cjkFontData(weight))));
  // pdfkit takes a fontkit font object as a source (anything with `layout`); its types name only paths and buffers.
  return font as unknown as PDFKit.Mixins.PDFFontSource;
}
