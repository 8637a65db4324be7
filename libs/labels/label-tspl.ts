import { DomainError } from '../errors';
import type { LabelContent } from './label-content';
import type { LabelLayout } from './layouts';
import { lineTop, PrinterLayout } from './printer-common';

/*
 * TSPL/TSPL2 for TSC (and TSPL-compatible, e.g. many Chinese desktop) 203 dpi thermal printers.
 *
 * Header once: SIZE (label size), GAP 2 mm (gap between die-cut labels), DIRECTION, REFERENCE,
 * CODEPAGE UTF-8. Then per label: CLS, QRCODE, TEXT…, PRINT 1.
 * - QRCODE x,y,M,cell,A,0,"data": level M, cell = dots per module, A = automatic encoding mode,
 *   rotation 0.
 * - Chinese text: ASSUMPTION: a CJK TrueType font is stored on the printer as "SIMSUN.TTF"
 *   (downloaded with TSC's Diagtool or DOWNLOAD); for TrueType fonts TEXT's x/y-multiplication are
 *   the character width/height in points. Pass `fontFile` for another font name.
 * - TEXT's (x, y) is the top-left of the text, so y = baseline − ascent of the layout.
 * - Strings are in double quotes; a double quote in the data is written as \["] (TSPL's escape).
 *   TSPL has no escape for a backslash, so data containing the sequence \[ is rejected
 *   (LABEL_FIELD_INVALID) rather than printed wrongly.
 * Lines end with CRLF.
 */

const DEFAULT_FONT_FILE = 'SIMSUN.TTF';

function tsplString(data: string, field = 'text'): string {
  if (data.includes('\\[')) {
    throw new DomainError('LABEL_FIELD_INVALID', `${field}: the sequence \\[ cannot be printed in TSPL`, { field });
  }
  return `"${data.replace(/"/g, '\\["]')}"`;
}

export function renderLabelsTspl(
  labels: LabelContent[],
  layout: LabelLayout,
  opts: { fontFile?: string } = {},
): string {
  const printer = new PrinterLayout(labels, layout, 'TSPL');
  const fontFile = tsplString(opts.fontFile ?? DEFAULT_FONT_FILE, 'fontFile');
  const { widthMm, heightMm } = printer.plan;
  const out: string[] = [
    `SIZE ${widthMm} mm,${heightMm} mm`,
    'GAP 2 mm,0',
    'DIRECTION 1',
    'REFERENCE 0,0',
    'CODEPAGE UTF-8',
  ];
  for (let i = 0; i < labels.length; i++) {
    const l = printer.label(labels[i], i);
    out.push('CLS');
    out.push(`QRCODE ${l.qrX},${l.qrY},M,${l.moduleDots},A,0,${tsplString(l.qrText, `labels[${i}].qrText`)}`);
    for (const line of l.lines) {
      const pt = Math.max(1, Math.round((line.size * 72) / 203));
      out.push(`TEXT ${line.x},${lineTop(line)},${fontFile},0,${pt},${pt},${tsplString(line.text, `labels[${i}]`)}`);
    }
    out.push('PRINT 1');
  }
  return out.join('\r\n') + '\r\n';
}
