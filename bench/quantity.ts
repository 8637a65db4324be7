/**
 * Exact quantities: libs/quantity + libs/decimal (big.js) against the BigInt fixed-point code they
 * replaced (kept below only as the yardstick), on typical values. One operation is one quantity
 * taken through what a request does with it: parse the request's `{ value, unit }`, convert it to
 * the base unit, add it to a running total and compare with what a lot has left; and one laboratory
 * result parsed, converted from µg/kg to mg/kg and compared with a limit. Interleaved rounds,
 * median reported.
 *   npx tsx bench/quantity.ts        (pure CPU, no database)
 * Settings: BENCH_ROUNDS (default 7), BENCH_MS (ms per round and contender, default 1000).
 */
import { compare, Decimal, parseDecimal, shift, ZERO } from '../libs/decimal';
import { DomainError } from '../libs/errors';
import { amountOf, formatIn, parseQuantity } from '../libs/quantity';
import { table } from './support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const MS = Number(process.env.BENCH_MS ?? 1000);

const INPUTS = [
  { value: '1200.5', unit: 'kg' }, { value: '30000', unit: 'g' }, { value: '2.5', unit: 't' }, { value: '100', unit: '斤' },
  { value: '0.125', unit: 'kg' }, { value: '12', unit: '箱' }, { value: '480', unit: 'kg' }, { value: '250.75', unit: 'g' },
];
const RESULTS = [['50', 'µg/kg'], ['0.0500', 'mg/kg'], ['0.02', 'mg/kg'], ['120', 'µg/kg']] as const;
const LOT = { value: '5000', unit: 'kg' };

// ---- the library ----------------------------------------------------------------------------

function libraryQuantities(): string {
  const lot = amountOf(LOT);
  let taken = ZERO;
  let last = '';
  for (const input of INPUTS) {
    const q = parseQuantity(input);
    const a = amountOf(q);
    if (a.dimension !== lot.dimension) continue;
    if (taken.plus(a.value).lte(lot.value)) taken = taken.plus(a.value);
    last = formatIn(lot.value.minus(taken), LOT.unit);
  }
  return last;
}

const LIMIT = parseDecimal('0.05');
function libraryResults(): number {
  let passed = 0;
  for (const [value, unit] of RESULTS) {
    const mgPerKg: Decimal = shift(parseDecimal(value), unit === 'µg/kg' ? -3 : 0);
    if (compare(mgPerKg, LIMIT) <= 0) passed++;
  }
  return passed;
}

// ---- the BigInt code it replaced (yardstick only) -------------------------------------------

const UNITS = ['kg', 'g', 't', '斤', '个', '枚', '箱', '袋', '盒', '瓶', '件', '头', '只', '羽', '尾'];
const DECIMAL = /^(\d{1,12})(?:\.(\d{1,3}))?$/;
const MG_PER_THOUSANDTH: Record<string, bigint> = { g: 1n, kg: 1000n, t: 1_000_000n, '斤': 500n };

function bigintParse(input: { value: unknown; unit: unknown }): { value: string; unit: string } {
  const match = typeof input.value === 'string' ? DECIMAL.exec(input.value.trim()) : null;
  if (!match) throw new DomainError('INVALID_QUANTITY', 'value', { field: 'quantity.value', rule: 'decimal' });
  const w = match[1].replace(/^0+(?=\d)/, '');
  const f = (match[2] ?? '').replace(/0+$/, '');
  const value = f ? `${w}.${f}` : w;
  if (value === '0') throw new DomainError('INVALID_QUANTITY', 'positive', { field: 'quantity.value', rule: 'positive' });
  if (typeof input.unit !== 'string' || !UNITS.includes(input.unit)) throw new DomainError('INVALID_QUANTITY', 'unit', { field: 'quantity.unit', rule: 'unit' });
  return { value, unit: input.unit };
}

function bigintAmount(q: { value: string; unit: string }): { dimension: string; base: bigint } {
  const [whole, fraction = ''] = q.value.split('.');
  const t = BigInt(whole) * 1000n + BigInt(fraction.padEnd(3, '0').slice(0, 3) || '0');
  const factor = MG_PER_THOUSANDTH[q.unit];
  return factor ? { dimension: 'mass', base: t * factor } : { dimension: q.unit, base: t };
}

function bigintFormat(amount: bigint, unit: string): string {
  const t = amount / (MG_PER_THOUSANDTH[unit] ?? 1n);
  const abs = t < 0n ? -t : t;
  const fraction = (abs % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return `${t < 0n ? '-' : ''}${abs / 1000n}${fraction ? `.${fraction}` : ''}`;
}

function bigintQuantities(): string {
  const lot = bigintAmount(LOT);
  let taken = 0n;
  let last = '';
  for (const input of INPUTS) {
    const a = bigintAmount(bigintParse(input));
    if (a.dimension !== lot.dimension) continue;
    if (taken + a.base <= lot.base) taken += a.base;
    last = bigintFormat(lot.base - taken, LOT.unit);
  }
  return last;
}

interface Scaled { c: bigint; e: number }
const LIMITS_PATTERN = /^\+?(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;
function scaledParse(text: string): Scaled {
  const m = LIMITS_PATTERN.exec(text.trim());
  if (!m) throw new DomainError('INVALID_DECIMAL', 'value', { field: 'value' });
  let c = BigInt((m[1] ?? '') + (m[2] ?? '') || '0');
  let e = Number(m[3] ?? '0') - (m[2] ?? '').length;
  if (c === 0n) return { c, e: 0 };
  while (c % 10n === 0n) {
    c /= 10n;
    e += 1;
  }
  return { c, e };
}
function scaledCompare(a: Scaled, b: Scaled): number {
  const e = Math.min(a.e, b.e);
  const x = a.c * 10n ** BigInt(a.e - e);
  const y = b.c * 10n ** BigInt(b.e - e);
  return x === y ? 0 : x < y ? -1 : 1;
}
const SCALED_LIMIT = scaledParse('0.05');
function bigintResults(): number {
  let passed = 0;
  for (const [value, unit] of RESULTS) {
    const d = scaledParse(value);
    const mgPerKg = { c: d.c, e: d.e + (unit === 'µg/kg' ? -3 : 0) };
    if (scaledCompare(mgPerKg, SCALED_LIMIT) <= 0) passed++;
  }
  return passed;
}

// ---- measurement ----------------------------------------------------------------------------

/** Items processed per second by `fn` (each call handles `items` values) for about MS ms. */
function rate(fn: () => unknown, items: number): number {
  let calls = 0;
  const started = process.hrtime.bigint();
  const until = started + BigInt(MS) * 1_000_000n;
  let now = started;
  while (now < until) {
    for (let i = 0; i < 200; i++) fn();
    calls += 200;
    now = process.hrtime.bigint();
  }
  return (calls * items) / (Number(now - started) / 1e9);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  if (libraryQuantities() !== bigintQuantities() || libraryResults() !== bigintResults()) throw new Error('the two implementations disagree');
  const contenders = {
    'quantities · big.js (libs/quantity)': [libraryQuantities, INPUTS.length],
    'quantities · BigInt (replaced)': [bigintQuantities, INPUTS.length],
    'lab results · big.js (libs/decimal)': [libraryResults, RESULTS.length],
    'lab results · BigInt (replaced)': [bigintResults, RESULTS.length],
  } as const;
  const figures = new Map<string, number[]>(Object.keys(contenders).map((k) => [k, []]));
  for (const [fn, items] of Object.values(contenders)) rate(fn, items); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, [fn, items]] of Object.entries(contenders)) figures.get(name)!.push(rate(fn, items));
  }
  console.log(`Node ${process.version}, ${ROUNDS} rounds × ${MS} ms, median`);
  console.log(table([...figures.entries()].map(([name, xs]) => ({
    contender: name, 'values/s': Math.round(median(xs)).toLocaleString('en'), 'µs/value': (1e6 / median(xs)).toFixed(2),
  }))));
}

main();
