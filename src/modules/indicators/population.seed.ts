import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';
import { readCsv } from '../../../libs/csv';
import { DomainError } from '../../../libs/errors';
import { requireRegion } from '../regions/domain';

export const POPULATION_SEED_FILE = join(__dirname, '..', '..', 'database', 'seed', 'population-sichuan-2020.csv');
const COLUMNS = ['region_code', 'name', 'population', 'as_of', 'source', 'verified', 'note'] as const;

export interface PopulationRow {
  regionCode: string;
  name: string;
  population: number;
  asOf: string;
  source: string;
  verified: boolean;
  note: string;
}

/** The population table's rows from its CSV (every field checked: a bad row stops the seed, naming it). */
export function parsePopulationCsv(text: string): PopulationRow[] {
  const table = readCsv(text, { columns: COLUMNS, required: ['region_code', 'name', 'population', 'as_of', 'source', 'verified'] });
  if (table.problems.length) throw new DomainError('INVALID_CSV', `population: ${table.problems[0].message}`, { row: table.problems[0].row });
  return table.rows.map(({ row, cells }) => {
    const bad = (field: string, rule: string) => new DomainError('INVALID_CSV', `population row ${row}: ${field} is invalid (${rule})`, { row, field, rule });
    requireRegion(cells.region_code, 'region_code');
    if (!/^[1-9]\d{0,8}$/.test(cells.population)) throw bad('population', 'positive_integer');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(cells.as_of)) throw bad('as_of', 'date');
    if (cells.verified !== 'true' && cells.verified !== 'false') throw bad('verified', 'true_or_false');
    if (!cells.source.trim()) throw bad('source', 'required');
    return {
      regionCode: cells.region_code, name: cells.name.trim(), population: Number(cells.population), asOf: cells.as_of, source: cells.source.trim(),
      verified: cells.verified === 'true', note: cells.note.trim(),
    };
  });
}

/** Loads the population table's starter rows when missing; never overwrites a corrected row. Run by `seed`. */
export async function seedPopulation(manager: EntityManager, file = POPULATION_SEED_FILE): Promise<number> {
  const rows = parsePopulationCsv(readFileSync(file, 'utf8'));
  for (const r of rows) {
    await manager.query(
      `INSERT INTO region_populations (region_code, name, population, as_of, source, verified, note) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (region_code) DO NOTHING`, [r.regionCode, r.name, r.population, r.asOf, r.source, r.verified, r.note],
    );
  }
  return rows.length;
}
