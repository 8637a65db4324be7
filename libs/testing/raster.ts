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

/**
 * zbar's command-line decoder is required by the logistic label tests (it reads GS1-128): a missing
 * one fails the test with the command that installs it, never skips it.
 */
export function requireZbar(): void {
  try {
    execFileSync('zbarimg', ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error('zbarimg (zbar-tools) is required by the logistic label tests: apt-get install -y zbar-tools');
  }
}

/** Every barcode zbar finds in these image files, as raw data (a GS1-128's FNC1 separators come out as GS, \x1d). */
function zbarFiles(files: string[]): string[][] {
  return files.map((file) => {
    let out = '';
    try {
      out = execFileSync('zbarimg', ['-q', '--raw', file], { stdio: ['ignore', 'pipe', 'pipe'] }).toString('latin1');
    } catch (e) {
      // zbarimg exits 4 when it finds no symbol.
      if ((e as { status?: number }).status !== 4) throw e;
    }
    return out.split('\n').filter((l) => l.length > 0);
  });
}

/** Every barcode zbar finds in one PNG image. */
export function zbarDecodePng(png: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'zbar-'));
  try {
    writeFileSync(join(dir, 'in.png'), png);
    return zbarFiles([join(dir, 'in.png')])[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every barcode on each page of a PDF rasterised at `dpi` by pdftoppm (one list per page). */
export function pdfBarcodes(pdf: Buffer, dpi: number): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'zbar-pdf-'));
  try {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-gray', file, join(dir, 'page')], { stdio: 'pipe' });
    const pages = readdirSync(dir)
      .filter((f) => f.startsWith('page') && f.endsWith('.png'))
      .sort((a, b) => Number(/(\d+)\.png$/.exec(a)![1]) - Number(/(\d+)\.png$/.exec(b)![1]))
      .map((f) => join(dir, f));
    return zbarFiles(pages);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A 1-bit PNG of the ^GB boxes of one ZPL format (what a printer draws for the bars), for decoding. */
export function zplBoxesPng(zpl: string, width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(255);
  for (const m of zpl.matchAll(/\^FO(\d+),(\d+)\^GB(\d+),(\d+),(\d+)\^FS/g)) {
    const [x, y, w, h] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    if (Number(m[5]) < Math.min(w, h)) continue; // an outline, not a filled box
    for (let row = y; row < Math.min(height, y + h); row++) {
      for (let col = x; col < Math.min(width, x + w); col++) {
        const i = (row * width + col) * 4;
        png.data[i] = png.data[i + 1] = png.data[i + 2] = 0;
      }
    }
  }
  return PNG.sync.write(png);
}
