import { crc32, deflateSync } from 'node:zlib';
import { DomainError } from '../errors';
import { qrMatrix, QR_QUIET_ZONE } from './qr-matrix';
import { qrSvgPath } from './qr-runs';

function intOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DomainError('QR_OPTION_INVALID', `${name} must be an integer from ${min} to ${max}`, { field: name });
  }
  return value;
}

/**
 * A standalone SVG of the QR for `text` (level M): one filled path of horizontal module runs,
 * `margin` modules of quiet zone (default 4), `moduleSize` user units per module (default 4).
 */
export function qrSvg(text: string, opts: { moduleSize?: number; margin?: number } = {}): string {
  const moduleSize = opts.moduleSize ?? 4;
  if (!(typeof moduleSize === 'number' && moduleSize > 0 && moduleSize <= 1000)) {
    throw new DomainError('QR_OPTION_INVALID', 'moduleSize must be a number in (0, 1000]', { field: 'moduleSize' });
  }
  const margin = intOption('margin', opts.margin, QR_QUIET_ZONE, 0, 100);
  const m = qrMatrix(text);
  const n = m.size + 2 * margin;
  const px = +(n * moduleSize).toFixed(4);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${n} ${n}" ` +
    `shape-rendering="crispEdges">` +
    `<rect width="${n}" height="${n}" fill="#fff"/>` +
    `<path fill="#000" d="${qrSvgPath(m, margin)}"/></svg>`
  );
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A 1-bit greyscale PNG of the QR for `text` (level M): `scale` pixels per module (default 8),
 * `margin` modules of quiet zone (default 4). Encoded here from the same matrix as the PDF/SVG.
 */
export async function qrPng(text: string, opts: { scale?: number; margin?: number } = {}): Promise<Buffer> {
  const scale = intOption('scale', opts.scale, 8, 1, 64);
  const margin = intOption('margin', opts.margin, QR_QUIET_ZONE, 0, 100);
  const m = qrMatrix(text);
  const modulesAcross = m.size + 2 * margin;
  const width = modulesAcross * scale;
  const stride = Math.ceil(width / 8) + 1; // filter byte + packed bits
  const raw = Buffer.alloc(stride * width, 0);
  // Bit depth 1, colour type 0: bit 1 = white. Start all white, clear bits of dark modules.
  for (let y = 0; y < width; y++) raw.fill(0xff, y * stride + 1, (y + 1) * stride);
  for (let y = 0; y < width; y++) raw[y * stride] = 0; // filter: none
  for (let row = 0; row < m.size; row++) {
    for (let col = 0; col < m.size; col++) {
      if (!m.modules[row * m.size + col]) continue;
      const x0 = (col + margin) * scale;
      const y0 = (row + margin) * scale;
      for (let y = y0; y < y0 + scale; y++) {
        const base = y * stride + 1;
        for (let x = x0; x < x0 + scale; x++) raw[base + (x >> 3)] &= ~(0x80 >> (x & 7));
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(width, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
