import fc from 'fast-check';
import { compare, formatDecimal, sum } from '../decimal';
import { DomainError } from '../errors';
import {
  amountIn, amountOf, baseQuantity, dimensionOf, formatIn, parseQuantity, Quantity, QUANTITY_UNITS, sameAmount, UNIT_TABLE, uncefactQuantity, unitForUncefact,
} from './index';

describe('quantities', () => {
  it('normalises decimal strings', () => {
    expect(parseQuantity({ value: '12.50', unit: 'kg' })).toEqual({ value: '12.5', unit: 'kg' });
    expect(parseQuantity({ value: '007', unit: '箱' })).toEqual({ value: '7', unit: '箱' });
    expect(parseQuantity({ value: 3.25, unit: 't' })).toEqual({ value: '3.25', unit: 't' });
    expect(formatDecimal('1200.500')).toBe('1200.5');
    expect(formatDecimal('5.000')).toBe('5');
  });

  it.each([
    [{ value: '0', unit: 'kg' }, 'quantity.value', 'positive'],
    [{ value: '-1', unit: 'kg' }, 'quantity.value', 'decimal'],
    [{ value: '1.2345', unit: 'kg' }, 'quantity.value', 'decimal'],
    [{ value: '1e3', unit: 'kg' }, 'quantity.value', 'decimal'],
    [{ value: '', unit: 'kg' }, 'quantity.value', 'decimal'],
    [{ value: '5', unit: 'pound' }, 'quantity.unit', 'unit'],
    [{ value: '5' }, 'quantity.unit', 'unit'],
  ])('rejects %j naming %s', (input, field, rule) => {
    try {
      parseQuantity(input);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).details).toMatchObject({ field, rule });
    }
  });

  it('lists the units in the order the API has always listed them', () => {
    expect(QUANTITY_UNITS).toEqual(['kg', 'g', 't', '斤', '个', '枚', '箱', '袋', '盒', '瓶', '件', '头', '只', '羽', '尾']);
    expect(() => parseQuantity({ value: '1', unit: 'lb' }, 'inputs[0].quantity')).toThrow(expect.objectContaining({
      code: 'INVALID_QUANTITY',
      message: 'inputs[0].quantity.unit must be one of kg, g, t, 斤, 个, 枚, 箱, 袋, 盒, 瓶, 件, 头, 只, 羽, 尾',
      details: { field: 'inputs[0].quantity.unit', rule: 'unit', allowed: QUANTITY_UNITS },
    }) as DomainError);
  });

  it('accepts the Chinese names of the mass units and stores the unit as listed', () => {
    expect(parseQuantity({ value: '50', unit: '公斤' })).toEqual({ value: '50', unit: 'kg' });
    expect(parseQuantity({ value: '50', unit: '千克' })).toEqual({ value: '50', unit: 'kg' });
    expect(parseQuantity({ value: '2', unit: '吨' })).toEqual({ value: '2', unit: 't' });
    expect(parseQuantity({ value: '500', unit: '克' })).toEqual({ value: '500', unit: 'g' });
    expect(sameAmount({ value: '100', unit: '斤' }, { value: '50', unit: '公斤' })).toBe(true);
  });

  it('converts through the table exactly', () => {
    expect(baseQuantity(amountOf({ value: '3', unit: '斤' }))).toEqual({ value: '1.5', unit: 'kg' });
    expect(baseQuantity(amountOf({ value: '0.001', unit: 'g' }))).toEqual({ value: '0.000001', unit: 'kg' });
    expect(baseQuantity(amountOf({ value: '12', unit: '箱' }))).toEqual({ value: '12', unit: '箱' });
    expect(formatIn(amountOf({ value: '1', unit: 'g' }), '斤')).toBe('0.002');
    // What is left is cut, never rounded up: 1 g is 0.000001 t.
    expect(formatIn(amountOf({ value: '1', unit: 'g' }), 't')).toBe('0');
    expect(dimensionOf('斤')).toBe('mass');
    expect(dimensionOf('箱')).toBe('箱');
    expect(dimensionOf('桶')).toBe('桶');
  });

  it('writes EPCIS quantities in UN/CEFACT units: 斤 as kg, counted units bare', () => {
    const written = (q: { value: string; unit: string }) => {
      const { value, uom } = uncefactQuantity(q);
      return [formatDecimal(value), uom];
    };
    expect(written({ value: '12.5', unit: 'kg' })).toEqual(['12.5', 'KGM']);
    expect(written({ value: '300', unit: 'g' })).toEqual(['300', 'GRM']);
    expect(written({ value: '1.2', unit: 't' })).toEqual(['1.2', 'TNE']);
    expect(written({ value: '3', unit: '斤' })).toEqual(['1.5', 'KGM']);
    expect(written({ value: '12', unit: '箱' })).toEqual(['12', null]);
    expect([unitForUncefact('KGM'), unitForUncefact('GRM'), unitForUncefact('TNE'), unitForUncefact('LBR')]).toEqual(['kg', 'g', 't', undefined]);
  });
});

describe('the unit table', () => {
  it('has one row per spelling and one unit per UN/CEFACT code', () => {
    const spellings = UNIT_TABLE.flatMap((u) => [u.unit, ...u.aliases]);
    expect(new Set(spellings).size).toBe(spellings.length);
    const codes = UNIT_TABLE.flatMap((u) => (u.uncefact ? [u.uncefact] : []));
    expect(new Set(codes).size).toBe(codes.length);
    for (const u of UNIT_TABLE) {
      for (const alias of u.aliases) expect(parseQuantity({ value: '1', unit: alias }).unit).toBe(u.unit);
      if (u.dimension === 'count') expect(u.perBase).toBe('1');
    }
  });
});

// ---- properties ----------------------------------------------------------------------------

/** The pre-library rule, as an oracle: milligrams per thousandth of a mass unit (exact BigInt). */
const MG_PER_THOUSANDTH: Record<string, bigint> = { g: 1n, kg: 1000n, '斤': 500n, t: 1_000_000n };
const massUnits = ['kg', 'g', 't', '斤'] as const;
const countUnits = QUANTITY_UNITS.filter((u) => !(massUnits as readonly string[]).includes(u));

/** Thousandths of the unit, as an integer: the value a quantity string stands for. */
const thousandths = fc.bigInt({ min: 1n, max: 10n ** 15n - 1n });
const asValue = (t: bigint) => {
  const fraction = String(t % 1000n).padStart(3, '0').replace(/0+$/, '');
  return `${t / 1000n}${fraction ? `.${fraction}` : ''}`;
};
const quantity = fc.tuple(thousandths, fc.constantFrom(...QUANTITY_UNITS)).map(([t, unit]): Quantity => ({ value: asValue(t), unit }));
const massQuantity = fc.tuple(thousandths, fc.constantFrom(...massUnits)).map(([t, unit]): Quantity => ({ value: asValue(t), unit }));

/** The oracle's amount: milligrams for masses, thousandths of a counted unit. */
function oracle(q: Quantity): { dimension: string; base: bigint } {
  const [whole, fraction = ''] = q.value.split('.');
  const t = BigInt(whole) * 1000n + BigInt(fraction.padEnd(3, '0'));
  const mg = MG_PER_THOUSANDTH[q.unit];
  return mg ? { dimension: 'mass', base: t * mg } : { dimension: q.unit, base: t };
}

describe('quantity properties', () => {
  it('parse ∘ format round-trips: any way of writing a value parses to the same normalised string', () => {
    fc.assert(fc.property(thousandths, fc.nat({ max: 5 }), fc.nat({ max: 2 }), fc.constantFrom(...QUANTITY_UNITS), (t, leading, trailing, unit) => {
      const value = asValue(t);
      if (value.split('.')[0].length + leading > 12) return;
      const decimals = value.split('.')[1]?.length ?? 0;
      const padded = `${'0'.repeat(leading)}${value}${decimals + trailing > 3 || trailing === 0 ? '' : `${decimals ? '' : '.'}${'0'.repeat(trailing)}`}`;
      const parsed = parseQuantity({ value: ` ${padded} `, unit });
      expect(parsed).toEqual({ value, unit });
      expect(parseQuantity(parsed)).toEqual(parsed);
      expect(formatDecimal(padded)).toBe(value);
    }));
  });

  it('converts exactly: to the base unit and back gives the same value; via any mass unit when it has ≤ 3 decimals there', () => {
    fc.assert(fc.property(quantity, fc.constantFrom(...massUnits), (q, other) => {
      const amount = amountOf(q);
      expect(formatDecimal(amountIn(amount, q.unit))).toBe(q.value);
      expect(formatIn(amount, q.unit)).toBe(q.value);
      if (amount.dimension !== 'mass') return;
      const there = amountIn(amount, other);
      expect(amountOf({ value: formatDecimal(there), unit: other }).value.eq(amount.value)).toBe(true);
      // Written as a quantity of `other`, the value is exact exactly when the oracle divides evenly.
      const exact = oracle(q).base % MG_PER_THOUSANDTH[other] === 0n;
      expect(sameAmount({ value: formatIn(amount, other), unit: other }, q)).toBe(exact);
    }));
  });

  it('sums are commutative and associative', () => {
    const orders = fc.array(massQuantity, { minLength: 1, maxLength: 12 }).chain((qs) => fc.tuple(
      fc.constant(qs), fc.shuffledSubarray(qs, { minLength: qs.length, maxLength: qs.length }), fc.nat({ max: qs.length }),
    ));
    fc.assert(fc.property(orders, ([qs, shuffled, split]) => {
      const values = qs.map((q) => amountOf(q).value);
      const total = sum(values);
      expect(sum(shuffled.map((q) => amountOf(q).value)).eq(total)).toBe(true);
      expect(sum([sum(values.slice(0, split)), sum(values.slice(split))]).eq(total)).toBe(true);
    }));
  });

  it('sums and comparisons agree with the BigInt oracle', () => {
    fc.assert(fc.property(massQuantity, massQuantity, fc.array(massQuantity, { maxLength: 8 }), (a, b, more) => {
      const x = oracle(a).base;
      const y = oracle(b).base;
      expect(compare(amountOf(a).value, amountOf(b).value)).toBe(x === y ? 0 : x < y ? -1 : 1);
      expect(sameAmount(a, b)).toBe(x === y);
      const total = sum(more.map((q) => amountOf(q).value));
      const oracleTotal = more.reduce((s, q) => s + oracle(q).base, 0n);
      expect(compare(total, amountOf(a).value)).toBe(oracleTotal === x ? 0 : oracleTotal < x ? -1 : 1);
    }));
  });

  it('a counted unit compares only with itself', () => {
    fc.assert(fc.property(quantity, quantity, (a, b) => {
      expect(amountOf(a).dimension === amountOf(b).dimension).toBe(oracle(a).dimension === oracle(b).dimension);
      if (countUnits.includes(a.unit)) expect(amountOf(a).dimension).toBe(a.unit);
    }));
  });

  it('writes the EPCIS number the pre-library code wrote (Number(value) × factor)', () => {
    const factor: Record<string, number> = { kg: 1, g: 1, t: 1, '斤': 0.5 };
    fc.assert(fc.property(quantity, (q) => {
      const { value } = uncefactQuantity(q);
      expect(Number(formatDecimal(value))).toBe(Number(q.value) * (factor[q.unit] ?? 1));
    }));
  });

  it('any malformed input is refused with INVALID_QUANTITY naming the field, never a crash', () => {
    const value = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.anything(), fc.stringMatching(/^-?\d{0,14}(\.\d{0,5})?(e\d)?$/));
    const unit = fc.oneof(fc.constantFrom(...QUANTITY_UNITS, '公斤', 'KG', 'kg ', ''), fc.string(), fc.anything());
    fc.assert(fc.property(value, unit, fc.constantFrom('quantity', 'outputs[3].quantity'), (v, u, field) => {
      try {
        const q = parseQuantity({ value: v, unit: u }, field);
        expect(QUANTITY_UNITS).toContain(q.unit);
        expect(amountOf(q).value.gt(0n)).toBe(true);
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).code).toBe('INVALID_QUANTITY');
        expect(String((e as DomainError).details?.field)).toMatch(new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}\\.(value|unit)$`));
      }
    }), { numRuns: 3000 });
    for (const input of [undefined, null, 'kg', 5, [], { value: {}, unit: {} }]) {
      expect(() => parseQuantity(input as never)).toThrow(DomainError);
    }
  });
});
