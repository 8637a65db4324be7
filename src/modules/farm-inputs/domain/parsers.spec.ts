import fc from 'fast-check';
import { DomainError } from '../../../../libs/errors';
import { parseEarTag } from './ear-tag';
import { assertLabelMatches, parseLabelCode } from './label-code';
import { labelDigitsOf, parseRegistrationNumber } from './registration-number';
import { doseExcess, parseArea, parseDose, parseMaxDose } from './dose';
import { INPUT_KINDS } from './input-kinds';
import { isMultiLine, parseSeedLabel, SEED_LABEL_LAYOUT } from './seed-label';

const isCounty = (code: string) => ['510131', '511823', '510117'].includes(code);
const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

/** Every malformed input is a DomainError, never a crash (DESIGN.md). */
function rejectsOrParses(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (error) {
    return error instanceof DomainError;
  }
}

describe('registration numbers (农药登记证号 and the other kinds, as data)', () => {
  it('accepts PD/WP + 8 digits as current and old forms as legacy', () => {
    expect(parseRegistrationNumber('pesticide', 'PD20080005')).toEqual({ value: 'PD20080005', legacy: false, formatVerified: true });
    expect(parseRegistrationNumber('pesticide', ' wp20180123 ')).toMatchObject({ value: 'WP20180123', legacy: false });
    expect(parseRegistrationNumber('pesticide', 'LS20130001')).toMatchObject({ legacy: true });
    expect(parseRegistrationNumber('pesticide', 'PD85150-9')).toMatchObject({ legacy: true });
    expect(parseRegistrationNumber('fertiliser', '农肥（2020）准字1234号')).toMatchObject({ value: '农肥(2020)准字1234号', formatVerified: false });
  });

  it.each(['PD2008000', 'PD200800051', 'XX20080005', '', 'PD 2008 0005x'])('refuses %j naming the field', (value) => {
    expect(() => parseRegistrationNumber('pesticide', value)).toThrow(expect.objectContaining({
      code: 'INVALID_REGISTRATION_NUMBER', details: expect.objectContaining({ field: 'registrationNumber', rule: 'registration_format' }),
    }));
  });

  it('property: any string for any kind parses or is refused with a DomainError', () => {
    fc.assert(fc.property(fc.constantFrom(...INPUT_KINDS), fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.anything()), (kind, value) =>
      rejectsOrParses(() => parseRegistrationNumber(kind, value))));
  });

  it('property: PD/WP + any 8 digits is a current number whose label digits are its last six', () => {
    fc.assert(fc.property(fc.constantFrom('PD', 'WP'), digits(8), (prefix, d) => {
      const parsed = parseRegistrationNumber('pesticide', prefix + d);
      return !parsed.legacy && labelDigitsOf(parsed.value) === d.slice(2);
    }));
  });
});

describe('pesticide label code (32-digit 单元识别代码)', () => {
  const code = '1' + '080005' + '1' + '001' + '123456789012345678901';
  it('parses the layout and matches digits 2–7 to the registration number', () => {
    expect(parseLabelCode(code)).toMatchObject({ category: '1', registrationDigits: '080005', productionType: 'holder', specCode: '001' });
    expect(parseLabelCode(`https://www.icama.cn/qr?c=${code}`).code).toBe(code);
    expect(() => assertLabelMatches(parseLabelCode(code), 'PD20080005')).not.toThrow();
    expect(() => assertLabelMatches(parseLabelCode(code), 'PD20080006')).toThrow(expect.objectContaining({ code: 'LABEL_CODE_MISMATCH' }));
  });

  it('refuses wrong lengths and production types', () => {
    expect(() => parseLabelCode(code.slice(1))).toThrow(expect.objectContaining({ code: 'INVALID_LABEL_CODE', details: { field: 'labelCode', rule: 'length' } }));
    expect(() => parseLabelCode(code.slice(0, 7) + '9' + code.slice(8))).toThrow(expect.objectContaining({ details: { field: 'labelCode', rule: 'production_type' } }));
  });

  it('property: any text parses or is refused with a DomainError; parsed codes are 32 digits', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), digits(32), fc.anything()), (value) => {
      try {
        return parseLabelCode(value).code.length === 32;
      } catch (error) {
        return error instanceof DomainError;
      }
    }));
  });

  it('property: a code matches exactly the registration numbers ending in its digits 2–7', () => {
    fc.assert(fc.property(digits(8), digits(8), digits(21), fc.constantFrom('1', '2', '3'), (reg, other, serial, type) => {
      const label = parseLabelCode(`1${reg.slice(2)}${type}001${serial}`);
      const matches = (n: string) => rejectsOrParses(() => assertLabelMatches(label, n)) && (() => { try { assertLabelMatches(label, n); return true; } catch { return false; } })();
      return matches(`PD${reg}`) && matches(`PD${other}`) === (other.slice(2) === reg.slice(2));
    }));
  });
});

describe('ear tags (畜禽标识)', () => {
  it('parses species, county and serial', () => {
    expect(parseEarTag('151013100000123', isCounty)).toEqual({ tag: '151013100000123', species: 'pig', countyCode: '510131', serial: '00000123' });
  });
  it.each([
    ['15101310000012', 'format'], ['451013100000123', 'species'], ['159999900000123', 'county_code'],
  ])('refuses %s (%s)', (tag, rule) => {
    expect(() => parseEarTag(tag, isCounty)).toThrow(expect.objectContaining({ code: 'INVALID_EAR_TAG', details: { field: 'earTags', rule } }));
  });
  it('property: any input parses or is refused with a DomainError', () => {
    fc.assert(fc.property(fc.oneof(digits(15), fc.string(), fc.anything()), (v) => rejectsOrParses(() => parseEarTag(v, isCounty))));
  });
});

describe('doses', () => {
  it('converts masses, volumes and areas and finds a dose above the label maximum', () => {
    const max = parseMaxDose({ value: '60', unit: 'mL/亩' });
    expect(doseExcess(parseDose({ value: '300', unit: 'mL' }), parseArea({ value: '5', unit: '亩' }), max)).toBeNull();
    expect(doseExcess(parseDose({ value: '0.5', unit: 'L' }), parseArea({ value: '5', unit: '亩' }), max)).toEqual({ applied: '100 mL/亩', limit: '60 mL/亩' });
    expect(doseExcess(parseDose({ value: '900', unit: 'mL' }), parseArea({ value: '1', unit: '公顷' }), max)).toBeNull();
    expect(doseExcess(parseDose({ value: '1', unit: 'kg' }), parseArea({ value: '1', unit: '亩' }), max)).toBeNull(); // powder vs liquid: not comparable
  });
  it('refuses impossible units naming the field', () => {
    expect(() => parseDose({ value: '3', unit: '箱' })).toThrow(expect.objectContaining({ code: 'INVALID_DOSE', details: expect.objectContaining({ field: 'dose.unit' }) }));
    expect(() => parseArea({ value: '3', unit: 'kg' })).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'area.unit' }) }));
    expect(() => parseDose({ value: '0', unit: 'g' })).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'dose.value' }) }));
  });
  it('property: any dose parses or is refused with a DomainError', () => {
    fc.assert(fc.property(fc.anything(), fc.anything(), (value, unit) => rejectsOrParses(() => parseDose({ value, unit }))));
  });
});

describe('seed bag QR (农作物种子标签二维码: four lines, layout unverified)', () => {
  const lines = ['红阳', '四川省自然资源科学研究院', '51013100100000000001', 'https://seed.example.cn/t/51013100100000000001'];

  it('reads the four lines in order, with or without captions, and keeps the layout as unverified data', () => {
    expect(parseSeedLabel(lines.join('\n'))).toEqual({
      variety: '红阳', producer: '四川省自然资源科学研究院', unitCode: '51013100100000000001', traceUrl: lines[3], layout: SEED_LABEL_LAYOUT,
    });
    expect(SEED_LABEL_LAYOUT.verified).toBe(false);
    const captioned = `品种名称：红阳\r\n生产经营者名称: 四川省自然资源科学研究院\r\n单元识别代码：A1B2\r\n\r\n追溯网址：http://t.example.cn/A1B2\r\n`;
    expect(parseSeedLabel(captioned)).toMatchObject({ variety: '红阳', producer: '四川省自然资源科学研究院', unitCode: 'A1B2', traceUrl: 'http://t.example.cn/A1B2' });
    expect(isMultiLine(captioned)).toBe(true);
    expect(isMultiLine('10800051001777777777777777777777')).toBe(false);
  });

  it('refuses what is not four such lines, naming the rule', () => {
    const rule = (text: string) => {
      try {
        parseSeedLabel(text);
        return null;
      } catch (error) {
        return (error as DomainError).code === 'INVALID_LABEL_CODE' ? ((error as DomainError).details as { rule: string }).rule : 'other';
      }
    };
    expect(rule(lines.slice(0, 3).join('\n'))).toBe('lines');
    expect(rule([...lines, 'extra'].join('\n'))).toBe('lines');
    expect(rule([lines[0], lines[1], '123456789012345678901', lines[3]].join('\n'))).toBe('unit_code');
    expect(rule([lines[0], lines[1], '12-34', lines[3]].join('\n'))).toBe('unit_code');
    expect(rule([lines[0], lines[1], lines[2], 'javascript:alert(1)'].join('\n'))).toBe('trace_url');
    expect(rule([lines[0], lines[1], lines[2], 'seed.example.cn'].join('\n'))).toBe('trace_url');
    expect(rule(['品种名称：', lines[1], lines[2], lines[3]].join('\n'))).toBe('variety');
    expect(rule('')).toBe('format');
  });

  it('property: any text is parsed or refused with INVALID_LABEL_CODE, never a crash', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => rejectsOrParses(() => parseSeedLabel(text))));
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 60 }), { maxLength: 6 }), (parts) => rejectsOrParses(() => parseSeedLabel(parts.join('\n')))));
  });

  it('property: four well-formed lines round-trip', () => {
    const word = fc.string({ unit: fc.constantFrom(...'红阳金艳徐香海沃德川猕'), minLength: 1, maxLength: 20 });
    const code = fc.string({ unit: fc.constantFrom(...'0123456789ABCXYZabc'), minLength: 1, maxLength: 20 });
    fc.assert(fc.property(word, word, code, (variety, producer, unitCode) => {
      const parsed = parseSeedLabel([variety, producer, unitCode, `https://t.example.cn/${unitCode}`].join('\n'));
      return parsed.variety === variety && parsed.producer === producer && parsed.unitCode === unitCode;
    }));
  });
});
