import { create } from 'qrcode';
import { DomainError } from '../errors';
import { optimalSegments } from './qr-segments';

/** A QR symbol as a square of modules, row-major, `1` = dark. No quiet zone included. */
export interface QrMatrix {
  version: number;
  size: number;
  modules: Uint8Array;
}

/** Every label QR uses error-correction level M (~15 % of the symbol can be damaged). */
const QR_ERROR_CORRECTION = 'M' as const;

/** ISO/IEC 18004 asks for a quiet zone of 4 modules on every side. */
export const QR_QUIET_ZONE = 4;

/*
 * Why not just `create(text, { errorCorrectionLevel: 'M' })`? Speed: it costs ~0.3 ms a symbol,
 * 3 s of a 10,000-label run. Two parts dominate, and both are done here instead, with the same
 * result:
 *  1. segmentation: qrcode runs Dijkstra over a graph of chunks; `optimalSegments()` computes
 *     minimal-bit segments by linear dynamic programming and hands them to `create()`;
 *  2. mask choice: qrcode applies each of the 8 masks and scores it through `BitMatrix.get()`.
 *     We let `create()` build the symbol with mask 0, then score all 8 masks on 32-bit row and
 *     column bitsets with exactly qrcode's penalty rules (its N1–N4 arithmetic, its N3 window
 *     test, lowest mask wins ties) and apply the best one with its format bits.
 * The result is bit-for-bit the symbol `create(segments, { errorCorrectionLevel: 'M' })` returns
 * (see qr-matrix.spec.ts), and never a larger version than `create(text, …)` picks.
 */

const G15 = 0b10100110111;
const G15_MASK = 0b101010000010010;
const EC_LEVEL_M_BITS = 0b00;

function bchDigit(data: number): number {
  let digit = 0;
  while (data !== 0) {
    digit++;
    data >>>= 1;
  }
  return digit;
}

/** 15-bit format information (level M, `mask`), BCH-protected and XOR-masked as the spec says. */
function formatInfoBits(mask: number): number {
  const data = (EC_LEVEL_M_BITS << 3) | mask;
  let d = data << 10;
  const g15Digit = bchDigit(G15);
  while (bchDigit(d) - g15Digit >= 0) d ^= G15 << (bchDigit(d) - g15Digit);
  return ((data << 10) | d) ^ G15_MASK;
}

function maskAt(pattern: number, i: number, j: number): boolean {
  switch (pattern) {
    case 0: return (i + j) % 2 === 0;
    case 1: return i % 2 === 0;
    case 2: return j % 3 === 0;
    case 3: return (i + j) % 3 === 0;
    case 4: return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5: return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6: return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    default: return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0;
  }
}

/** Module indices (row * size + col) of the 15 format bits, twice, as qrcode places them. */
function formatPositions(size: number): [Int32Array, Int32Array] {
  const a = new Int32Array(15);
  const b = new Int32Array(15);
  for (let i = 0; i < 15; i++) {
    a[i] = (i < 6 ? i : i < 8 ? i + 1 : size - 15 + i) * size + 8;
    b[i] = 8 * size + (i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1);
  }
  return [a, b];
}

/** Bitset geometry: a row of `size` bits in `words` 32-bit words plus one zero padding word. */
interface Bits {
  size: number;
  words: number;
  stride: number;
}

function packRows(cells: Uint8Array, g: Bits, transpose: boolean, into?: Int32Array): Int32Array {
  const { size, words, stride } = g;
  const out = into ?? new Int32Array(size * stride);
  // Line r holds row r (or column r when transposing); bit c of it is cell (r, c) (or (c, r)).
  const step = transpose ? size : 1;
  for (let r = 0; r < size; r++) {
    let cell = transpose ? r : r * size;
    for (let w = 0; w < words; w++) {
      const end = Math.min(32, size - w * 32);
      let word = 0;
      for (let b = 0; b < end; b++, cell += step) word |= cells[cell] << b;
      out[r * stride + w] = word;
    }
    out[r * stride + words] = 0;
  }
  return out;
}

interface VersionTables {
  g: Bits;
  /** Scratch bitsets reused by every qrMatrix() call of this version (synchronous, so safe). */
  scratch: { rows0: Int32Array; cols0: Int32Array; rows: Int32Array; cols: Int32Array; eq: Int32Array };
  /** delta[p]: symbol(mask p) XOR symbol(mask 0), per module (data modules + format bits). */
  delta: Uint8Array[];
  deltaRows: Int32Array[];
  deltaCols: Int32Array[];
  /** validUpTo[k][w]: bits of word w whose column index is <= size - 1 - k. */
  validUpTo: Int32Array[];
}

const tablesByVersion = new Map<number, VersionTables>();

function versionTables(version: number, size: number, reserved: Uint8Array): VersionTables {
  let t = tablesByVersion.get(version);
  if (t) return t;
  const words = (size + 31) >>> 5;
  const g: Bits = { size, words, stride: words + 1 };
  const [fa, fb] = formatPositions(size);
  const format0 = formatInfoBits(0);
  const delta: Uint8Array[] = [];
  for (let p = 0; p < 8; p++) {
    const d = new Uint8Array(size * size);
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        if (!reserved[row * size + col] && maskAt(0, row, col) !== maskAt(p, row, col)) d[row * size + col] = 1;
      }
    }
    const diff = format0 ^ formatInfoBits(p);
    for (let k = 0; k < 15; k++) {
      const bit = (diff >> k) & 1;
      d[fa[k]] = bit;
      d[fb[k]] = bit;
    }
    delta.push(d);
  }
  const validUpTo: Int32Array[] = [];
  for (let k = 0; k <= 10; k++) {
    const v = new Int32Array(g.stride);
    for (let c = 0; c <= size - 1 - k; c++) v[c >>> 5] |= 1 << (c & 31);
    validUpTo.push(v);
  }
  const n = size * g.stride;
  t = {
    g,
    scratch: {
      rows0: new Int32Array(n),
      cols0: new Int32Array(n),
      rows: new Int32Array(n),
      cols: new Int32Array(n),
      eq: new Int32Array(g.stride),
    },
    delta,
    deltaRows: delta.map((d) => packRows(d, g, false)),
    deltaCols: delta.map((d) => packRows(d, g, true)),
    validUpTo,
  };
  tablesByVersion.set(version, t);
  return t;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Bits of `a` starting at column (32·w + k): a funnel shift across the next word. */
function at(a: Int32Array, i: number, k: number): number {
  return k === 0 ? a[i] : (a[i] >>> k) | (a[i + 1] << (32 - k));
}

/**
 * N1 (runs of ≥ 5 same-colour modules score 3 + (run − 5)) plus N3 (40 per 1011101-with-4-light
 * window, qrcode's 11-bit test) along every line of a bitset.
 *
 * N1 without walking runs: a run of L ≥ 5 holds L − 4 windows of 5 equal modules, and L − 2 =
 * (L − 4) + 2, so N1 = (#windows of 5 equal modules) + 2 · (#such windows that start a run).
 */
function linePenalty(bits: Int32Array, t: VersionTables, eq: Int32Array): number {
  const { size, words, stride } = t.g;
  const valid1 = t.validUpTo[1];
  const valid10 = t.validUpTo[10];
  let windows = 0;
  let runs = 0;
  let n3 = 0;
  for (let base = 0; base < size * stride; base += stride) {
    // eq: module c equals module c + 1 (only where c + 1 < size); padding word stays 0.
    for (let w = 0; w < words; w++) eq[w] = ~(bits[base + w] ^ at(bits, base + w, 1)) & valid1[w];
    eq[words] = 0;
    let prevEqTop = 0;
    for (let w = 0; w < words; w++) {
      const e = eq[w];
      const five = e & at(eq, w, 1) & at(eq, w, 2) & at(eq, w, 3);
      // Module c − 1 equals module c: eq shifted up by one, carrying the previous word's top bit.
      const before = (e << 1) | prevEqTop;
      prevEqTop = e >>> 31;
      windows += popcount(five);
      runs += popcount(five & ~before);
      // N3: modules c..c+10 read 1,0,1,1,1,0,1,0,0,0,0 or 0,0,0,0,1,0,1,1,1,0,1.
      const i = base + w;
      const x0 = bits[i];
      const x1 = at(bits, i, 1);
      const x2 = at(bits, i, 2);
      const x3 = at(bits, i, 3);
      const x4 = at(bits, i, 4);
      const x5 = at(bits, i, 5);
      const x6 = at(bits, i, 6);
      const x7 = at(bits, i, 7);
      const x8 = at(bits, i, 8);
      const x9 = at(bits, i, 9);
      const x10 = at(bits, i, 10);
      const p1 = x0 & ~x1 & x2 & x3 & x4 & ~x5 & x6 & ~x7 & ~x8 & ~x9 & ~x10;
      const p2 = ~x0 & ~x1 & ~x2 & ~x3 & x4 & ~x5 & x6 & x7 & x8 & ~x9 & x10;
      n3 += popcount((p1 | p2) & valid10[w]);
    }
  }
  return windows + 2 * runs + 40 * n3;
}

/** N2 (3 per 2×2 block of one colour) plus N4 (10 per 5 % of imbalance from 50 % dark). */
function blockPenalty(rows: Int32Array, t: VersionTables): number {
  const { size, words, stride } = t.g;
  const valid1 = t.validUpTo[1];
  let n2 = 0;
  let dark = 0;
  for (let r = 0; r < size; r++) {
    const a = r * stride;
    for (let w = 0; w < words; w++) dark += popcount(rows[a + w]);
    if (r === size - 1) break;
    const b = a + stride;
    for (let w = 0; w < words; w++) {
      const v = ~(rows[a + w] ^ rows[b + w]); // column c equal in rows r and r + 1
      const vNext = ~(at(rows, a + w, 1) ^ at(rows, b + w, 1)); // column c + 1
      const h = ~(rows[a + w] ^ at(rows, a + w, 1)); // row r: columns c and c + 1 equal
      n2 += popcount(v & vNext & h & valid1[w]);
    }
  }
  const k = Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10);
  return n2 * 3 + k * 10;
}

/**
 * The QR symbol for `text` at error-correction level M, smallest version that fits.
 * Throws DomainError QR_TEXT_EMPTY, QR_TEXT_INVALID (lone surrogate) or QR_TEXT_TOO_LONG.
 */
export function qrMatrix(text: string): QrMatrix {
  if (typeof text !== 'string' || text.length === 0) {
    throw new DomainError('QR_TEXT_EMPTY', 'qrText must be a non-empty string', { field: 'qrText' });
  }
  if (LONE_SURROGATE.test(text)) {
    throw new DomainError('QR_TEXT_INVALID', 'qrText is not valid Unicode (lone surrogate)', { field: 'qrText' });
  }
  let symbol: ReturnType<typeof create>;
  try {
    symbol = create(optimalSegments(text), { errorCorrectionLevel: QR_ERROR_CORRECTION, maskPattern: 0 });
  } catch (err) {
    throw new DomainError('QR_TEXT_TOO_LONG', 'qrText does not fit in a QR code (level M, version 40)', {
      field: 'qrText',
      length: text.length,
      reason: err instanceof Error ? err.message.trim() : String(err),
    });
  }
  const size = symbol.modules.size;
  const masked0 = symbol.modules.data;
  const t = versionTables(symbol.version, size, symbol.modules.reservedBit);
  const { rows, cols, eq } = t.scratch;
  const rows0 = packRows(masked0, t.g, false, t.scratch.rows0);
  const cols0 = packRows(masked0, t.g, true, t.scratch.cols0);
  let best = 0;
  let bestPenalty = Infinity;
  for (let p = 0; p < 8; p++) {
    const dr = t.deltaRows[p];
    const dc = t.deltaCols[p];
    for (let i = 0; i < rows.length; i++) {
      rows[i] = rows0[i] ^ dr[i];
      cols[i] = cols0[i] ^ dc[i];
    }
    const penalty = linePenalty(rows, t, eq) + linePenalty(cols, t, eq) + blockPenalty(rows, t);
    if (penalty < bestPenalty) {
      bestPenalty = penalty;
      best = p;
    }
  }
  const modules = new Uint8Array(size * size);
  const d = t.delta[best];
  for (let i = 0; i < modules.length; i++) modules[i] = masked0[i] ^ d[i];
  return { version: symbol.version, size, modules };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
