import type { QrMatrix } from './qr-matrix';

/**
 * Horizontal runs of dark modules, row by row: [col, row, length] triples in a flat Int32Array.
 * A QR has roughly half as many runs as dark modules, so this halves the drawing operators.
 */
export function darkRuns(m: QrMatrix): Int32Array {
  const { size, modules } = m;
  const out = new Int32Array(((size * size) >> 1) * 3 + 3);
  let n = 0;
  for (let row = 0; row < size; row++) {
    const base = row * size;
    let col = 0;
    while (col < size) {
      if (modules[base + col] === 0) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && modules[base + col] === 1) col++;
      out[n++] = start;
      out[n++] = row;
      out[n++] = col - start;
    }
  }
  return out.subarray(0, n);
}

/** "0 ", "1 ", … "177 ": the integers a run can hold, preformatted. */
const NUM: string[] = Array.from({ length: 178 }, (_, i) => `${i} `);

/**
 * PDF path operators that fill every dark module of `m`, in a coordinate system of one unit per
 * module with the symbol's top-left corner at (0, 0) and y growing downwards (the caller sets that
 * up with `q a 0 0 a x y cm`). Horizontal runs of dark modules become rectangles, and a run that
 * repeats exactly in the next row extends its rectangle downwards (about 18 % fewer operators).
 * The whole symbol is filled by one `f`, so touching rectangles form one shape: no hairline seams
 * between them in viewers.
 */
export function qrPdfPath(m: QrMatrix): string {
  const { size, modules } = m;
  // Rectangles as (x, y, w, h); open[x] = index + 1 of the rectangle whose last row is the
  // previous row and which starts at column x (0 = none).
  const rects = new Int32Array(size * size * 2);
  let count = 0;
  let open = new Int32Array(size);
  let next = new Int32Array(size);
  for (let row = 0; row < size; row++) {
    const base = row * size;
    next.fill(0);
    let col = 0;
    while (col < size) {
      if (modules[base + col] === 0) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && modules[base + col] === 1) col++;
      const prev = open[start];
      if (prev !== 0 && rects[(prev - 1) * 4 + 2] === col - start) {
        rects[(prev - 1) * 4 + 3]++;
        next[start] = prev;
      } else {
        const r = count++;
        rects[r * 4] = start;
        rects[r * 4 + 1] = row;
        rects[r * 4 + 2] = col - start;
        rects[r * 4 + 3] = 1;
        next[start] = r + 1;
      }
    }
    const t = open;
    open = next;
    next = t;
  }
  let out = '';
  for (let r = 0; r < count * 4; r += 4) {
    out += NUM[rects[r]] + NUM[rects[r + 1]] + NUM[rects[r + 2]] + NUM[rects[r + 3]] + 're\n';
  }
  return out + 'f';
}

/** The same runs as an SVG path (`M x y h w v 1 h -w z` per run), in module units. */
export function qrSvgPath(m: QrMatrix, offset: number): string {
  const runs = darkRuns(m);
  let d = '';
  for (let i = 0; i < runs.length; i += 3) {
    d += `M${runs[i] + offset} ${runs[i + 1] + offset}h${runs[i + 2]}v1h-${runs[i + 2]}z`;
  }
  return d;
}
