import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/*
 * CJK font for label PDFs: Noto Sans Hans (Noto Sans CJK, Simplified Chinese region subset,
 * ~30,900 glyphs, OpenType/CFF, SIL OFL 1.1) from the npm package `@embedpdf/fonts-sc`, so a fresh
 * clone gets it with `npm install`. pdfkit (fontkit) embeds only the glyphs a document uses, as a
 * CIDFontType0C subset with a ToUnicode map (text stays searchable and extractable).
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
