/*
 * Limit resolution benchmark: `npx tsx bench/limits.ts [seconds-per-case]` (default 2 s).
 *
 * Builds the in-memory LimitIndex the API uses (same code path as LimitsService after loading
 * from PostgreSQL) from (a) the starter table and (b) the starter table plus a synthetic table of
 * 50,000 rows (500 analytes × every category, three GB 2763 editions, some withdrawn), then
 * measures in one process:
 *   - lookups/s: index.resolve(analyte, food, date) — walk up the category path, per standard,
 *     edition by date — over a rotating mix of analytes, foods and dates;
 *   - results/s: evaluate() of a 10-result sample (units, LOD, verdicts), per result.
 * Prints a table; asserts nothing (performance is measured in bench/, never in tests).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseCategoryCsv } from '../src/modules/categories/domain/category-path';
import { LIMIT_CSV_COLUMNS, parseLimitCsv } from '../src/modules/limits/domain/limit-csv';
import { indexFromRows, LimitIndex } from '../src/modules/limits/domain/limit-index';
import { evaluate, ResultInput } from '../src/modules/limits/domain/verdict';
import { runBench, table } from './support';

const SECONDS = Number(process.argv[2] ?? 2);
const SEED = join(__dirname, '..', 'src', 'database', 'seed');
const categories = parseCategoryCsv(readFileSync(join(SEED, 'food-categories.csv'), 'utf8')).map((c) => c.path);
const starter = readFileSync(join(SEED, 'limits-starter.csv'), 'utf8').trimEnd();
const DATES = ['2019-06-01', '2021-09-02', '2021-09-03', '2024-05-20', '2026-02-28', '2026-03-01', '2026-11-27'];

function syntheticRows(analytes: number): string[] {
  const lines: string[] = [];
  for (let a = 0; a < analytes; a++) {
    categories.forEach((food, i) => {
      if ((a + i) % 3 === 0) return; // not every analyte has a row on every category
      lines.push(`GB 2763,2019,2020-02-15,合成农药${a},synthcide-${a},mrl,${food},0.${(a % 9) + 1},no,`);
      if ((a + i) % 2 === 0) lines.push(`GB 2763,2021,2021-09-03,合成农药${a},synthcide-${a},mrl,${food},0.0${(a % 9) + 1},no,`);
      if ((a + i) % 5 === 0) lines.push(`GB 2763,2026,2026-03-01,合成农药${a},synthcide-${a},withdrawn,${food},,no,`);
      else if ((a + i) % 4 === 0) lines.push(`GB 2763,2026,2026-03-01,合成农药${a},synthcide-${a},mrl,${food},0.00${(a % 9) + 1},no,`);
    });
  }
  return lines;
}

function build(lines: string[]): LimitIndex {
  const { rows, problems } = parseLimitCsv([LIMIT_CSV_COLUMNS.join(','), ...lines].join('\n'), (p) => categories.includes(p));
  if (problems.length) throw new Error(`bench table has problems: ${JSON.stringify(problems.slice(0, 3))}`);
  return indexFromRows(rows, categories);
}

function measure(run: (i: number) => number): { perSecond: number; checksum: number } {
  let i = 0;
  let checksum = 0;
  for (; i < 20_000; i++) checksum += run(i); // warm up
  const start = performance.now();
  const end = start + SECONDS * 1000;
  let n = 0;
  while (performance.now() < end) {
    for (let k = 0; k < 1000; k++, n++) checksum += run(n);
  }
  return { perSecond: n / ((performance.now() - start) / 1000), checksum };
}

runBench(async () => {
  const cases: { label: string; index: LimitIndex; analytes: string[] }[] = [];
  const t0 = performance.now();
  const small = build(starter.split('\n').slice(1));
  cases.push({ label: 'starter table', index: small, analytes: small.listAnalytes().map((a) => a.name) });
  const t1 = performance.now();
  const large = build([...starter.split('\n').slice(1), ...syntheticRows(500)]);
  const t2 = performance.now();
  cases.push({ label: 'starter + synthetic', index: large, analytes: large.listAnalytes().map((a) => a.name) });

  const rows: Record<string, string | number>[] = [];
  for (const c of cases) {
    const { perSecond } = measure((i) => c.index.resolve(c.analytes[i % c.analytes.length], categories[(i * 7) % categories.length], DATES[i % DATES.length]).length);
    rows.push({ table: c.label, rows: c.index.size, analytes: c.analytes.length, measure: 'resolve lookups/s', value: Math.round(perSecond).toLocaleString('en') });
  }
  for (const c of cases) {
    const sample: ResultInput[] = c.analytes.slice(0, 10).map((analyte, k) => ({ analyte, value: k % 2 ? '12.5' : '0.03', unit: k % 2 ? 'µg/kg' : 'mg/kg', lod: '0.001' }));
    const { perSecond } = measure((i) => evaluate(c.index, { food: categories[(i * 7) % categories.length], samplingDate: DATES[i % DATES.length], results: sample }).results.length);
    rows.push({ table: c.label, rows: c.index.size, analytes: c.analytes.length, measure: 'evaluate results/s (10 per sample)', value: Math.round(perSecond * 10).toLocaleString('en') });
  }
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; ${SECONDS} s per case, one thread`);
  console.log(`index build: starter ${(t1 - t0).toFixed(0)} ms, starter + synthetic (parse + index) ${(t2 - t1).toFixed(0)} ms`);
  console.log(table(rows));
});
