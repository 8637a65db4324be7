import { DomainError } from '../errors';
import { renderLabelsTspl, renderLabelsZpl, type LabelContent, type LabelLayout } from './index';

const base: LabelContent = {
  qrText: 'https://trace.example.cn/t/0K5M7Q2X9ABCD',
  productName: '蒲江猕猴桃（红阳）',
  lot: '2611270A3F',
  serial: '000123',
  date: '2026-11-27',
  producer: '蒲江县绿源猕猴桃专业合作社',
};

function labels(n: number): LabelContent[] {
  return Array.from({ length: n }, (_, i) => ({
    ...base,
    qrText:
      i % 2 === 0
        ? `https://trace.example.cn/t/0K5M7Q2X9A${String(i).padStart(3, '0')}`
        : `https://trace.example.cn/01/06901234567892/10/2611270A3F/21/0K5M7Q2X9A${String(i).padStart(3, '0')}`,
    serial: String(i + 1).padStart(6, '0'),
    traceCode: `0K5M7Q2X9A${String(i).padStart(3, '0')}`,
  }));
}

/** Undo ZPL ^FH escapes (indicator '_'): _5E → '^' etc. */
function unFh(data: string): string {
  return data.replace(/_([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The ^FD…^FS field data of a ZPL format, in order. */
function zplFields(format: string): string[] {
  return [...format.matchAll(/\^FD([^^]*)\^FS/g)].map((m) => m[1]);
}

function tsplStrings(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\\["\])*)"/g)].map((m) => m[1].replace(/\\\["\]/g, '"'));
}

describe('renderLabelsZpl', () => {
  it('writes one UTF-8 format per label, sized from the layout at 8 dots/mm', () => {
    const out = renderLabelsZpl(labels(25), 'roll-60x40');
    const formats = out.split('^XZ\n').filter((f) => f.trim());
    expect(formats).toHaveLength(25);
    expect(out.match(/\^XA/g)).toHaveLength(25);
    for (const f of formats) {
      expect(f).toContain('^CI28');
      expect(f).toContain('^PW480');
      expect(f).toContain('^LL320');
      expect(f).toMatch(/\^CW1,E:SIMSUN\.TTF/);
    }
    expect(renderLabelsZpl(labels(1), 'roll-60x80')).toContain('^LL640');
  });

  it('encodes the exact qrText as QR field data "MA," (level M, automatic input) and all the text', () => {
    const ls = labels(4);
    const formats = renderLabelsZpl(ls, 'roll-60x40').split('^XZ\n').filter((f) => f.trim());
    formats.forEach((f, i) => {
      expect(f).toMatch(/\^BQN,2,\d+\^FH\^FDMA,/);
      const fields = zplFields(f).map(unFh);
      expect(fields[0]).toBe(`MA,${ls[i].qrText}`);
      expect(fields).toEqual(
        expect.arrayContaining(['扫码溯源', '蒲江猕猴桃（红阳）', '批号 2611270A3F', `序号 ${ls[i].serial}`, '生产日期 2026-11-27', '蒲江县绿源猕猴桃专业合作社']),
      );
    });
  });

  it('prints each label\'s trace code, grouped for reading, on both roll layouts', () => {
    const ls = labels(3);
    for (const layout of ['roll-60x40', 'roll-60x80'] as const) {
      const formats = renderLabelsZpl(ls, layout).split('^XZ\n').filter((f) => f.trim());
      formats.forEach((f, i) => expect(zplFields(f).map(unFh)).toContain(`追溯码 0K5M 7Q2X 9A${String(i).padStart(3, '0')}`));
      const texts = renderLabelsTspl(ls, layout).split('\r\n').filter((l) => l.startsWith('TEXT ')).map((l) => tsplStrings(l)[1]);
      ls.forEach((_, i) => expect(texts).toContain(`追溯码 0K5M 7Q2X 9A${String(i).padStart(3, '0')}`));
    }
  });

  it('hex-escapes ^, ~ and _ so data can never end a field or start a command', () => {
    const tricky = { ...base, qrText: 'https://trace.example.cn/t/A_B?x=^FS~JA^XZ', productName: '猕猴桃^FS~DG_' };
    const out = renderLabelsZpl([tricky], 'roll-60x40');
    expect(out).toContain('^FDMA,https://trace.example.cn/t/A_5FB?x=_5EFS_7EJA_5EXZ^FS');
    expect(out).toContain('^FD猕猴桃_5EFS_7EDG_5F^FS');
    expect(out.match(/\^XZ/g)).toHaveLength(1);
    expect(out).not.toContain('~JA');
    const fields = zplFields(out).map(unFh);
    expect(fields[0]).toBe(`MA,${tricky.qrText}`);
    expect(fields).toContain(tricky.productName);
  });

  it('leaves the serial line out of batch labels and shrinks or truncates long text', () => {
    const out = renderLabelsZpl([{ ...base, serial: undefined, productName: '郫县豆瓣（特级红油，长期发酵三年陈酿，非物质文化遗产传统工艺）' }], 'roll-60x40');
    expect(out).not.toContain('序号');
    const name = zplFields(out).find((f) => f.startsWith('郫县'))!;
    expect(name.endsWith('…')).toBe(true);
    expect(name.length).toBeLessThan(20);
  });
});

describe('renderLabelsTspl', () => {
  it('writes the header once and CLS … PRINT 1 per label', () => {
    const out = renderLabelsTspl(labels(7), 'roll-60x40');
    const lines = out.split('\r\n');
    expect(lines.slice(0, 5)).toEqual(['SIZE 60 mm,40 mm', 'GAP 2 mm,0', 'DIRECTION 1', 'REFERENCE 0,0', 'CODEPAGE UTF-8']);
    expect(lines.filter((l) => l === 'CLS')).toHaveLength(7);
    expect(lines.filter((l) => l === 'PRINT 1')).toHaveLength(7);
    expect(renderLabelsTspl(labels(1), 'roll-60x80')).toMatch(/^SIZE 60 mm,80 mm\r\n/);
  });

  it('puts the exact data in QRCODE (level M, auto mode) and TEXT commands with a TTF font', () => {
    const ls = labels(3);
    const lines = renderLabelsTspl(ls, 'roll-60x40').split('\r\n');
    const qr = lines.filter((l) => l.startsWith('QRCODE '));
    expect(qr).toHaveLength(3);
    qr.forEach((l, i) => {
      expect(l).toMatch(/^QRCODE \d+,\d+,M,\d+,A,0,"/);
      expect(tsplStrings(l)).toEqual([ls[i].qrText]);
    });
    const texts = lines.filter((l) => l.startsWith('TEXT ')).map((l) => {
      expect(l).toMatch(/^TEXT \d+,\d+,"SIMSUN\.TTF",0,\d+,\d+,"/);
      return tsplStrings(l)[1];
    });
    expect(texts).toEqual(expect.arrayContaining(['扫码溯源', '蒲江猕猴桃（红阳）', '批号 2611270A3F', '序号 000002', '生产日期 2026-11-27', '蒲江县绿源猕猴桃专业合作社']));
  });

  it('escapes a double quote as \\["] and rejects a backslash-bracket it cannot escape', () => {
    const out = renderLabelsTspl([{ ...base, qrText: 'https://trace.example.cn/t/"A"', productName: '猕猴桃"红阳"' }], 'roll-60x40');
    expect(out).toContain(',"https://trace.example.cn/t/\\["]A\\["]"\r\n');
    expect(out).toContain(',"猕猴桃\\["]红阳\\["]"\r\n');
    expect(tsplStrings(out.split('\r\n').find((l) => l.startsWith('QRCODE'))!)).toEqual(['https://trace.example.cn/t/"A"']);
    expect(() => renderLabelsTspl([{ ...base, producer: 'a\\[R]b' }], 'roll-60x40')).toThrow(
      expect.objectContaining({ code: 'LABEL_FIELD_INVALID' }),
    );
  });
});

describe('printer formats: bad input', () => {
  const renderers = { zpl: renderLabelsZpl, tspl: renderLabelsTspl };
  it.each(Object.entries(renderers))('%s rejects bad input with a DomainError', (_name, render) => {
    const expectCode = (fn: () => unknown, code: string): void => {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe(code);
    };
    expectCode(() => render([], 'roll-60x40'), 'LABELS_EMPTY');
    expectCode(() => render([base], 'roll-100x50' as LabelLayout), 'UNKNOWN_LAYOUT');
    expectCode(() => render([base], 'a4-40'), 'LAYOUT_NOT_SUPPORTED');
    expectCode(() => render([base, { ...base, qrText: 'x'.repeat(2332) }], 'roll-60x40'), 'QR_TEXT_TOO_LONG');
    expectCode(() => render([{ ...base, lot: 'A\r\nB' }], 'roll-60x40'), 'LABEL_FIELD_INVALID');
    // Long but still encodable (numeric mode) is fine.
    expect(render([{ ...base, qrText: '1'.repeat(3000) }], 'roll-60x40')).toContain('1'.repeat(3000));
  });
});
