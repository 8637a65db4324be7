import { EntityManager, In } from 'typeorm';
import { ImportProblem, importRejected } from '../../../libs/csv';
import { DomainError } from '../../../libs/errors';
import { auditedQuery } from '../audit';
import { compare, decimalPlaces, formatDecimal, parseDecimal } from '../../../libs/decimal';
import { EDITION_DATE_CONFLICT, LimitKind, LimitRowInput, marksBanned } from './domain/limit-csv';
import { LimitAnalyte } from './limit-analyte.entity';
import { LimitRow } from './limit-row.entity';

export interface ImportCounts {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  analytesAdded: number;
  editions: { standard: string; edition: string; effectiveFrom: string; rows: number }[];
}

/** Stored rows hold numeric(24,12): values finer or larger than that are refused, not rounded. */
export function storableLimitProblems(rows: LimitRowInput[]): ImportProblem[] {
  return rows.flatMap((row) => (row.limit && (decimalPlaces(row.limit) > 12 || formatDecimal(row.limit).split('.')[0].length > 12)
    ? [{ row: row.row, column: 'limit_mg_per_kg', code: 'VALIDATION_FAILED', message: `${formatDecimal(row.limit)} needs more than 12 decimals or 12 integer digits` }]
    : []));
}

type StoredRow = Pick<LimitRow, 'id' | 'standard' | 'edition' | 'effectiveFrom' | 'analyte' | 'kind' | 'foodPath' | 'limitMgPerKg' | 'verified' | 'note'>;
type NewRow = Pick<LimitRow, 'standard' | 'edition' | 'effectiveFrom' | 'analyte' | 'kind' | 'foodPath' | 'limitMgPerKg' | 'verified' | 'note'>;

const key = (r: { standard: string; edition: string; analyte: string; foodPath?: string; food?: string }) =>
  [r.standard, r.edition, r.analyte, r.foodPath ?? r.food].join('\u0000');

/**
 * Writes a validated limit table inside the caller's transaction. `upsert` (the import route)
 * inserts new rows and corrects changed ones; `insert_missing` (the seed) never overwrites what an
 * import has corrected. Identical rows are left alone, so a re-import changes nothing. The analyte
 * flags are then derived again from every row of the analytes touched.
 */
export async function writeLimitTable(manager: EntityManager, rows: LimitRowInput[], mode: 'upsert' | 'insert_missing'): Promise<ImportCounts> {
  // One import at a time: two tables naming the same edition must not interleave.
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['tianfu:limits-import']);

  const standards = [...new Set(rows.map((r) => r.standard))];
  // Raw rows: hydrating tens of thousands of entities through the ORM costs seconds.
  const existing = standards.length ? await manager.query<StoredRow[]>(
    `SELECT id, standard, edition, effective_from::text AS "effectiveFrom", analyte, kind, food_path AS "foodPath",
            limit_mg_per_kg::text AS "limitMgPerKg", verified, note
     FROM limit_rows WHERE standard = ANY($1::varchar[])`, [standards]) : [];
  const editionDates = new Map(existing.map((r) => [`${r.standard}-${r.edition}`, r.effectiveFrom]));
  const problems = rows.flatMap((r) => {
    const stored = editionDates.get(`${r.standard}-${r.edition}`);
    return stored && stored !== r.effectiveFrom
      ? [{ row: r.row, column: 'effective_from', code: EDITION_DATE_CONFLICT, message: `${r.standard}-${r.edition} takes effect on ${stored} in the stored table, not ${r.effectiveFrom}` }]
      : [];
  });
  if (problems.length) throw rejected(problems, rows.length);

  const englishByName = new Map<string, string>();
  for (const r of rows) if (!englishByName.get(r.analyte)) englishByName.set(r.analyte, r.analyteEn);
  const names = [...englishByName.keys()];
  const analytes = new Map((await manager.find(LimitAnalyte, { where: { name: In(names) } })).map((a) => [a.name, a]));
  const newAnalytes = names.filter((name) => !analytes.has(name));
  if (newAnalytes.length) {
    await auditedQuery(manager, 'INSERT INTO limit_analytes (name, name_en) SELECT * FROM unnest($1::varchar[], $2::varchar[]) RETURNING name',
      [newAnalytes, newAnalytes.map((name) => englishByName.get(name) ?? '')], { target: LimitAnalyte, verb: 'insert' });
  }
  for (const [name, known] of analytes) {
    const nameEn = englishByName.get(name) ?? '';
    if (nameEn && known.nameEn !== nameEn && (mode === 'upsert' || !known.nameEn)) await manager.update(LimitAnalyte, { name }, { nameEn });
  }
  const analytesAdded = newAnalytes.length;

  const byKey = new Map(existing.map((r) => [key(r), r]));
  const inserts: NewRow[] = [];
  let updated = 0;
  let unchanged = 0;
  for (const row of rows) {
    const values = {
      standard: row.standard, edition: row.edition, effectiveFrom: row.effectiveFrom, analyte: row.analyte, kind: row.kind,
      foodPath: row.food, limitMgPerKg: row.limit ? formatDecimal(row.limit) : null, verified: row.verified, note: row.note,
    };
    const stored = byKey.get(key(row));
    if (!stored) {
      inserts.push(values);
      continue;
    }
    const same = stored.kind === row.kind && stored.verified === row.verified && stored.note === row.note
      && (stored.limitMgPerKg === null ? row.limit === null : row.limit !== null && compare(parseDecimal(stored.limitMgPerKg), row.limit) === 0);
    if (same || mode === 'insert_missing') {
      unchanged++;
    } else {
      await manager.update(LimitRow, { id: stored.id }, { kind: values.kind, limitMgPerKg: values.limitMgPerKg, verified: values.verified, note: values.note });
      updated++;
    }
  }
  if (inserts.length) {
    // One statement with a column array per field: tens of thousands of rows in well under a second.
    const column = (k: keyof NewRow) => inserts.map((r) => r[k]);
    await auditedQuery(manager,
      `INSERT INTO limit_rows (standard, edition, effective_from, analyte, kind, food_path, limit_mg_per_kg, verified, note)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::date[], $4::varchar[], $5::varchar[], $6::varchar[], $7::numeric[], $8::boolean[], $9::varchar[])
       RETURNING id`,
      [column('standard'), column('edition'), column('effectiveFrom'), column('analyte'), column('kind'), column('foodPath'),
        column('limitMgPerKg'), column('verified'), column('note')],
      { target: LimitRow, verb: 'insert' },
    );
  }

  if (names.length) {
    await auditedQuery(manager,
      `UPDATE limit_analytes a SET must_not_detect = f.mnd, banned = f.banned, updated_at = now()
       FROM (SELECT x.name,
                    EXISTS (SELECT 1 FROM limit_rows r WHERE r.analyte = x.name AND r.kind = 'not_detectable') AS mnd,
                    EXISTS (SELECT 1 FROM limit_rows r WHERE r.analyte = x.name AND r.kind = 'banned') OR x.name = ANY($2::varchar[]) AS banned
             FROM limit_analytes x WHERE x.name = ANY($1::varchar[])) f
       WHERE a.name = f.name AND (a.must_not_detect <> f.mnd OR a.banned <> f.banned) RETURNING a.name`,
      [names, await bannedByNote(manager, names)], { target: LimitAnalyte, verb: 'update', subjects: names },
    );
  }

  const editions = new Map<string, ImportCounts['editions'][number]>();
  for (const r of rows) {
    const k = `${r.standard}-${r.edition}`;
    const e = editions.get(k) ?? { standard: r.standard, edition: r.edition, effectiveFrom: r.effectiveFrom, rows: 0 };
    e.rows++;
    editions.set(k, e);
  }
  return { rows: rows.length, inserted: inserts.length, updated, unchanged, analytesAdded, editions: [...editions.values()] };
}

/** Analytes whose rows carry the starter table's "banned pesticide" note marker. */
async function bannedByNote(manager: EntityManager, names: string[]): Promise<string[]> {
  const rows = await manager.query<{ analyte: string; kind: LimitKind; note: string }[]>(
    `SELECT analyte, kind, note FROM limit_rows WHERE analyte = ANY($1::varchar[]) AND (kind = 'banned' OR note <> '')`, [names]);
  return [...new Set(rows.filter((r) => marksBanned(r.kind, r.note)).map((r) => r.analyte))];
}

/** All or nothing: the import's problems, nothing written. */
export function rejected(problems: ImportProblem[], rowCount: number): DomainError {
  return importRejected('LIMIT_IMPORT_REJECTED', rowCount, problems);
}
