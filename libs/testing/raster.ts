/*
 * Test helpers (label specs and e2e suites): rasterise PDFs with poppler's pdftoppm,
 * extract text with pdftotext, and decode QR codes from PNG crops with pngjs + jsqr.
 * Poppler is a hard requirement: without it these helpers throw, so the tests fail, never skip.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Module } from 'node:module';
import { join } from 'node:path';
import type jsQRType from 'jsqr';
import type { PNG as PNGType } from 'pngjs';

// pngjs and jsqr are loaded by Node's own loader, outside Jest's module registry: Jest runs
// modules inside a vm context where every global lookup (`Math.abs` in pngjs's Paeth filter,
// three times per pixel) is ~20x slower, so decoding one 300-dpi A4 page took 7 s instead of
// 0.3 s. (Jest also patches createRequire, hence Module._load with a resolved path.)
function loadOutsideJest(id: string): unknown {
  const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  return loader._load(require.resolve(id), null, false);
}
const { PNG } = loadOutsideJest('pngjs') as { PNG: typeof PNGType };
const jsQR = (loadOutsideJest('jsqr') as { default: typeof jsQRType }).default;

export function requirePoppler(): void {
  for (const tool of ['pdftoppm', 'pdftotext']) {
    try {
      execFileSync(tool, ['-v'], { stdio: 'pipe' });
    } catch {
      throw new Error(
        `${tool} (poppler-utils) is required by the label PDF tests: apt-get install -y poppler-utils`,
      );
    }
  }
}

export interface Raster {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  data: Buffer;
}

/** Every page of `pdf` as an RGBA raster at `dpi`. */
export function rasterisePdf(pdf: Buffer, dpi: number): Raster[] {
  const dir = mkdtempSync(join(tmpdir(), 'labels-raster-'));
  try {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-gray', file, join(dir, 'page')], { stdio: 'pipe' });
    return readdirSync(dir)
      .filter((f) => f.startsWith('page') && f.endsWith('.png'))
      .sort((a, b) => Number(/(\d+)\.png$/.exec(a)![1]) - Number(/(\d+)\.png$/.exec(b)![1]))
      .map((f) => {
        const png = PNG.sync.read(readFileSync(join(dir, f)));
        return { width: png.width, height: png.height, data: png.data };
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
}

/** Copy a rectangle (pixels, clamped to the raster) out of a raster. */
export function crop(r: Raster, x: number, y: number, w: number, h: number): Raster {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(r.width, Math.ceil(x + w));
  const y1 = Math.min(r.height, Math.ceil(y + h));
  const out = Buffer.alloc((x1 - x0) * (y1 - y0) * 4);
  for (let row = y0; row < y1; row++) {
    r.data.copy(out, (row - y0) * (x1 - x0) * 4, (row * r.width + x0) * 4, (row * r.width + x1) * 4);
  }
  return { width: x1 - x0, height: y1 - y0, data: out };
}

/** The text of the QR code in `r`, or null if jsqr finds none. */
export function decodeQr(r: Raster): string | null {
  const code = jsQR(new Uint8ClampedArray(r.data.buffer, r.data.byteOffset, r.data.length), r.width, r.height, {
    inversionAttempts: 'dontInvert',
  });
  return code ? code.data : null;
}

export function decodePng(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  return decodeQr({ width: img.width, height: img.height, data: img.data });
}
