import type { LabelContent } from './label-content';
import type { LabelLayout } from './layouts';
import { PrinterLayout } from './printer-common';

/*
 * ZPL II for Zebra (and ZPL-compatible) 203 dpi thermal printers, one ^XA…^XZ format per label.
 *
 * - ^CI28: field data is UTF-8.
 * - Chinese text needs a CJK TrueType font on the printer. ASSUMPTION: SimSun is stored on the
 *   printer as E:SIMSUN.TTF (downloaded once with ZebraNet Bridge / Zebra Setup Utilities or ~DY),
 *   and each format maps it to font name 1 with ^CW1,E:SIMSUN.TTF, then prints with ^A1N,h,w.
 *   Printers sold in China often ship another font instead (e.g. a Zebra "Andale" CJK font): pass
 *   its name as `fontFile`.
 * - QR: ^BQN,2,m = normal orientation, model 2, magnification m (dots per module). The error
 *   correction level is NOT taken from ^BQ's 4th parameter when the field data carries switches:
 *   for QR codes the ^FD data starts with "<level><input mode>,": `^FDMA,<data>` = level M
 *   (standard), A = automatic input mode (the printer picks numeric/alphanumeric/byte itself), and
 *   everything after the first comma is data. ("MM," would mean manual input and would need a
 *   character-mode letter before the data.) The printer chooses the version, so the symbol size
 *   is estimated from our own encoding.
 * - ^FH: every ^FD is hex-escaped with the default indicator '_': '^' → _5E, '~' → _7E and '_'
 *   itself → _5F, so data can never end a field or start a command.
 * - Text is placed with ^FT (baseline origin) at the PDF layout's positions; 8 dots/mm.
 */

const DEFAULT_FONT_FILE = 'E:SIMSUN.TTF';

/** Escape field data for use after ^FH (indicator '_'). */
export function zplEscape(data: string): string {
  return data.replace(/[_^~]/g, (ch) => `_${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function renderLabelsZpl(
  labels: LabelContent[],
  layout: LabelLayout,
  opts: { fontFile?: string } = {},
): string {
  const printer = new PrinterLayout(labels, layout, 'ZPL');
  const fontFile = opts.fontFile ?? DEFAULT_FONT_FILE;
  const head = `^XA\n^CI28\n^CW1,${fontFile}\n^PW${printer.widthDots}\n^LL${printer.heightDots}\n^LH0,0\n`;
  const out: string[] = new Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = printer.label(labels[i], i);
    let s = head + `^FO${l.qrX},${l.qrY}^BQN,2,${l.moduleDots}^FH^FDMA,${zplEscape(l.qrText)}^FS\n`;
    for (const line of l.lines) {
      s += `^FT${line.x},${line.baseline}^A1N,${line.size},${line.size}^FH^FD${zplEscape(line.text)}^FS\n`;
    }
    out[i] = s + '^PQ1\n^XZ\n';
  }
  return out.join('');
}
