import type { QRCodeSegment } from 'qrcode';

/*
 * Optimal QR segmentation (numeric / alphanumeric / byte), by dynamic programming over code points
 * — the well-known minimal-bits algorithm (as in Project Nayuki's QR generator), in linear time.
 *
 * qrcode.create(string) finds its segments by building a graph over regex-split chunks and running
 * Dijkstra on it, which costs ~60 % of a whole create() call. Passing pre-computed segments to
 * create() gives the same kind of mixed-mode symbol (e.g. the 14 digits of a GTIN in numeric mode,
 * which is what keeps a GS1 Digital Link URL at version 4 instead of 5) for a fraction of the cost.
 * Kanji mode is not used (qrcode only supports it with an SJIS converter): CJK text goes in byte
 * mode as UTF-8, exactly as qrcode does by default.
 */

type Mode = 0 | 1 | 2; // byte, alphanumeric, numeric
const MODE_NAMES = ['byte', 'alphanumeric', 'numeric'] as const;

const ALNUM = new Uint8Array(128);
for (const ch of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:') ALNUM[ch.charCodeAt(0)] = 1;

/** Character-count indicator lengths for versions 1–9, 10–26 and 27–40. */
const CC_BITS: Record<Mode, [number, number, number]> = {
  0: [8, 16, 16],
  1: [9, 11, 13],
  2: [10, 12, 14],
};

/** Data codewords per version (index 0 = version 1) at error-correction level M (ISO/IEC 18004). */
export const QR_DATA_CODEWORDS_M = [
  16, 28, 44, 64, 86, 108, 124, 154, 182, 216, 254, 290, 334, 365, 415, 453, 507, 563, 627, 669, 714,
  782, 860, 914, 1000, 1062, 1128, 1193, 1267, 1373, 1455, 1541, 1631, 1725, 1812, 1914, 1992, 2102,
  2216, 2334,
];

/** Capacity in bits of the last version of each class (9, 26, 40). */
const CLASS_CAPACITY_BITS_M = [9, 26, 40].map((v) => QR_DATA_CODEWORDS_M[v - 1] * 8);

function versionClass(version: number): 0 | 1 | 2 {
  return version <= 9 ? 0 : version <= 26 ? 1 : 2;
}

/**
 * Smallest version (level M) that holds `text` as one byte-mode segment (UTF-8), or undefined if
 * none does. This is an upper bound: mixed segments can only make the symbol smaller or equal.
 */
export function byteModeVersion(text: string): number | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  for (let v = 1; v <= 40; v++) {
    if (4 + CC_BITS[0][versionClass(v)] + 8 * bytes <= QR_DATA_CODEWORDS_M[v - 1] * 8) return v;
  }
  return undefined;
}

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

function dataBits(mode: Mode, chars: number, bytes: number): number {
  if (mode === 0) return bytes * 8;
  if (mode === 1) return Math.floor(chars / 2) * 11 + (chars % 2) * 6;
  return Math.floor(chars / 3) * 10 + [0, 4, 7][chars % 3];
}

interface Segmentation {
  segments: QRCodeSegment[];
  bits: number;
}

function segmentFor(codePoints: Int32Array, n: number, text: string, offsets: Int32Array, versionClass: 0 | 1 | 2): Segmentation {
  // Costs in 1/6 bit so that numeric (10/3 bits per digit) and alphanumeric (11/2) are integers.
  const h0 = (4 + CC_BITS[0][versionClass]) * 6;
  const h1 = (4 + CC_BITS[1][versionClass]) * 6;
  const h2 = (4 + CC_BITS[2][versionClass]) * 6;
  const head = [h0, h1, h2];
  // from[i*3+j]: mode of character i on the cheapest encoding of the prefix that ends in mode j.
  const from = new Int8Array(n * 3);
  let p0 = h0;
  let p1 = h1;
  let p2 = h2;
  const ended = [0, 0, 0];
  const cur = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const c = codePoints[i];
    ended[0] = p0 + utf8Length(c) * 48;
    ended[1] = c < 128 && ALNUM[c] ? p1 + 33 : Infinity;
    ended[2] = c >= 48 && c <= 57 ? p2 + 20 : Infinity;
    // Either the segment of mode j goes on with this character, or a segment of another mode k
    // ends here (rounded up to whole bits) and a new one of mode j starts (pays its header).
    for (let j = 0; j < 3; j++) {
      let best = ended[j];
      let bestFrom = j;
      for (let k = 0; k < 3; k++) {
        if (k === j || ended[k] === Infinity) continue;
        const cost = Math.ceil(ended[k] / 6) * 6 + head[j];
        if (cost < best) {
          best = cost;
          bestFrom = k;
        }
      }
      cur[j] = best;
      from[i * 3 + j] = bestFrom;
    }
    p0 = cur[0];
    p1 = cur[1];
    p2 = cur[2];
  }
  let mode = p1 < p0 ? (p2 < p1 ? 2 : 1) : p2 < p0 ? 2 : 0;
  const modes = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--) {
    mode = from[i * 3 + mode];
    modes[i] = mode;
  }
  const segments: QRCodeSegment[] = [];
  let bits = 0;
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && modes[i] === modes[start]) continue;
    const m = modes[start] as Mode;
    const bytes = m === 0 ? utf8Bytes(codePoints, start, i) : 0;
    bits += 4 + CC_BITS[m][versionClass] + dataBits(m, i - start, bytes);
    segments.push({ mode: MODE_NAMES[m], data: text.slice(offsets[start], offsets[i]) } as QRCodeSegment);
    start = i;
  }
  return { segments, bits };
}

function utf8Bytes(codePoints: Int32Array, from: number, to: number): number {
  let bytes = 0;
  for (let k = from; k < to; k++) bytes += utf8Length(codePoints[k]);
  return bytes;
}

/**
 * Minimal-length segments for `text`, for the smallest version class it fits in at level M
 * (or for versions 27–40 if it fits nowhere; qrcode.create then reports it as too long).
 */
export function optimalSegments(text: string): QRCodeSegment[] {
  // Code points and their UTF-16 offsets (offsets[n] = text.length), without Array.from.
  const codePoints = new Int32Array(text.length);
  const offsets = new Int32Array(text.length + 1);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i) as number;
    offsets[n] = i;
    codePoints[n++] = cp;
    if (cp > 0xffff) i++;
  }
  offsets[n] = text.length;
  let result: Segmentation | undefined;
  for (const versionClass of [0, 1, 2] as const) {
    result = segmentFor(codePoints, n, text, offsets, versionClass);
    if (result.bits <= CLASS_CAPACITY_BITS_M[versionClass]) break;
  }
  return (result as Segmentation).segments;
}
