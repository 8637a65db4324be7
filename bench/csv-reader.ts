/*
 * CSV reading benchmark: `npx tsx bench/csv-reader.ts [runs]` (default 5 runs per case, median shown).
 *
 * The one reader (libs/csv, csv-parse) on the largest files the importers accept: a 100,000-row
 * limit table (records, then the whole parseLimitCsv with its checks) and a 200,000-row lab-results
 * file (parseResultsCsv), quoted cells and a BOM included. Prints MB/s and rows/s; asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCsvRecords, writeCsv } from '../libs/csv';
import { parseCategoryCsv } from '../src/modules/categories/domain/category-path';
import { LIMIT_CSV_COLUMNS, MAX_IMPORT_ROWS, parseLimitCsv } from '../src/modules/limits/domain/limit-csv';
import { MAX_CSV_ROWS, parseResultsCsv, RESULT_CSV_COLUMNS } from '../src/modules/sampling/domain/results';
import { runBench, table } from './support';

const RUNS = Number(process.argv[2] ?? 5);
const SEED = join(__dirname, '..', 'src', 'database', 'seed');
const foods = parseCategoryCsv(readFileSync(join(SEED, 'food-categories.csv'), 'utf8')).map((c) => c.path);
const known = new Set(foods);

function limitTable(rows: number): string {
  const data = Array.from({ length: rows }, (_, i) => [
    'GB 2763', String(2019 + (i % 3) * 2), ['2020-02-15', '2021-09-03', '2023-05-11'][i % 3], `合成农药${Math.floor(i / foods.length)}`,
    `synthcide-${Math.floor(i / foods.length)}`, 'mrl', foods[i % foods.length], `0.0${(i % 9) + 1}`, 'no', i % 10 ? '' : 'a note, with "quotes"',
  ]);
  return writeCsv([LIMIT_CSV_COLUMNS, ...data]);
}

function resultsFile(rows: number): string {
  const data = Array.from({ length: rows }, (_, i) => [
    `S${Math.floor(i / 2)}`, i % 2 ? '毒死蜱' : '溴氰菊酯', i % 2 ? '' : '0.01', 'mg/kg', '0.001', '0.003', i % 2 ? 'false' : '', 'GB 23200.113-2018',
  ]);
  return writeCsv([RESULT_CSV_COLUMNS, ...data]);
}

function median(run: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

runBench(async () => {
  const limits = limitTable(MAX_IMPORT_ROWS);
  const results = resultsFile(MAX_CSV_ROWS);
  const cases: { label: string; text: string; rows: number; run: () => unknown }[] = [
    { label: 'readCsvRecords, limit table', text: limits, rows: MAX_IMPORT_ROWS, run: () => readCsvRecords(limits) },
    { label: 'parseLimitCsv (read + checks)', text: limits, rows: MAX_IMPORT_ROWS, run: () => parseLimitCsv(limits, (p) => known.has(p)) },
    { label: 'parseResultsCsv', text: results, rows: MAX_CSV_ROWS, run: () => parseResultsCsv(results) },
  ];
  const rows = cases.map((c) => {
    const ms = median(c.run);
    const mb = Buffer.byteLength(c.text) / 1e6;
    return { case: c.label, rows: c.rows.toLocaleString('en'), MB: mb.toFixed(1), ms: Math.round(ms), 'MB/s': (mb / (ms / 1000)).toFixed(1), 'rows/s': Math.round(c.rows / (ms / 1000)).toLocaleString('en') };
  });
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; median of ${RUNS} runs, one thread`);
  console.log(table(rows));
});
