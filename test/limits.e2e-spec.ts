import { DataSource } from 'typeorm';
import { LimitsService } from '../src/modules/limits/limits.service';
import { auth, createOrg, createRegulator } from './support/factories';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

const HEADER = 'standard,edition,effective_from,analyte,analyte_en,kind,food,limit_mg_per_kg,verified,note';
const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';
const PAK_CHOI = '蔬菜>叶菜类蔬菜>普通白菜';

/** A made-up analyte, so these editions change nothing the file's other tests judge. */
const TEST_EDITIONS = [
  HEADER,
  `GB 2763,2021,2021-09-03,测试菊酯,testmethrin,mrl,${KIWI},0.05,no,`,
  'GB 2763,2021,2021-09-03,测试菊酯,testmethrin,mrl,水果,0.5,no,',
  `GB 2763,2026,2026-03-01,测试菊酯,testmethrin,mrl,${KIWI},0.02,no,tightened in 2026`,
  `GB 2763,2026,2026-03-01,测试菊酯,testmethrin,withdrawn,${PAK_CHOI},,no,`,
  `GB 2763,2021,2021-09-03,测试菊酯,testmethrin,mrl,${PAK_CHOI},1,no,`,
].join('\n');

describe('limits over HTTP (real PostgreSQL)', () => {
  let t: TestApp;
  let db: DataSource;

  const importCsv = (csv: string, token = ADMIN_TOKEN, type = 'text/csv') =>
    t.http().post('/api/v1/limits/import').set(auth(token)).set('Content-Type', type).send(csv);
  const evaluate = (body: Record<string, unknown>, token = ADMIN_TOKEN) => t.http().post('/api/v1/limits/evaluate').set(auth(token)).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    await importCsv(TEST_EDITIONS).expect(200);
  });
  afterAll(() => t.close());

  describe('seeded starter table', () => {
    it('lists limits by analyte with standard, edition and mg/kg limit', async () => {
      const org = await createOrg(t, {}, 'operator');
      const res = await t.http().get('/api/v1/limits').query({ analyte: '溴氰菊酯', food: '水果>柑橘类水果>橙' }).set(auth(org.token)).expect(200);
      expect(res.body.items).toEqual([expect.objectContaining({
        standard: 'GB 2763', edition: '2019', citation: 'GB 2763-2019', effectiveFrom: '2020-02-15', analyte: '溴氰菊酯', analyteEn: 'deltamethrin',
        kind: 'mrl', food: '水果>柑橘类水果', limit: '0.02', unit: 'mg/kg', verified: true,
      })]);
      expect(res.body.nextCursor).toBeNull();
    });

    it('pages through the whole table', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http().get('/api/v1/limits').query({ limit: 30, ...(cursor ? { cursor } : {}) }).set(auth(ADMIN_TOKEN)).expect(200);
        seen.push(...res.body.items.map((i) => i.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      const [{ n }] = await db.query('SELECT count(*)::int AS n FROM limit_rows');
      expect(new Set(seen).size).toBe(n);
    });

    it('shows the analyte catalogue with flags derived from the rows', async () => {
      const res = await t.http().get('/api/v1/limits/analytes').set(auth(ADMIN_TOKEN)).expect(200);
      const byName = Object.fromEntries(res.body.items.map((a: { name: string }) => [a.name, a]));
      expect(byName['克百威']).toMatchObject({ nameEn: 'carbofuran', banned: true, mustNotDetect: false });
      expect(byName['克伦特罗']).toMatchObject({ banned: false, mustNotDetect: true });
      expect(byName['溴氰菊酯']).toMatchObject({ banned: false, mustNotDetect: false });
    });

    it('filters by standard family or one edition, and by date in force', async () => {
      const all = await t.http().get('/api/v1/limits').query({ standard: 'GB 2762', analyte: '铅', limit: 200 }).set(auth(ADMIN_TOKEN)).expect(200);
      expect(all.body.items.length).toBeGreaterThan(5);
      expect(all.body.items.every((i: { standard: string }) => i.standard === 'GB 2762')).toBe(true);
      const edition = await t.http().get('/api/v1/limits').query({ standard: 'GB 2762-2017' }).set(auth(ADMIN_TOKEN)).expect(200);
      expect(edition.body.items.map((i: { food: string }) => i.food)).toEqual(['饮料类>茶叶']);
      const before = await t.http().get('/api/v1/limits').query({ analyte: 'testmethrin', food: KIWI, on: '2026-02-28' }).set(auth(ADMIN_TOKEN)).expect(200);
      expect(before.body.items.map((i: { citation: string; limit: string }) => [i.citation, i.limit])).toEqual([['GB 2763-2021', '0.05']]);
      const after = await t.http().get('/api/v1/limits').query({ analyte: 'testmethrin', food: KIWI, on: '2026-03-01' }).set(auth(ADMIN_TOKEN)).expect(200);
      expect(after.body.items.map((i: { citation: string; limit: string }) => [i.citation, i.limit])).toEqual([['GB 2763-2026', '0.02']]);
    });

    it('names an unknown analyte or food in the list filters', async () => {
      expect((await t.http().get('/api/v1/limits').query({ analyte: '没有' }).set(auth(ADMIN_TOKEN)).expect(422)).body).toMatchObject({ code: 'UNKNOWN_ANALYTE', details: { field: 'analyte' } });
      expect((await t.http().get('/api/v1/limits').query({ food: '水果>榴莲' }).set(auth(ADMIN_TOKEN)).expect(422)).body).toMatchObject({ code: 'UNKNOWN_FOOD', details: { field: 'food' } });
      expect((await t.http().get('/api/v1/limits').query({ on: '2026-13-01' }).set(auth(ADMIN_TOKEN)).expect(400)).body.code).toBe('VALIDATION_FAILED');
      await t.http().get('/api/v1/limits').expect(401);
    });
  });

  describe('import', () => {
    it('is for the platform admin only', async () => {
      const org = await createOrg(t);
      expect((await importCsv(TEST_EDITIONS, org.token).expect(403)).body.code).toBe('FORBIDDEN');
      const regulator = await createRegulator(t, '510000');
      await importCsv(TEST_EDITIONS, regulator.token).expect(403);
    });

    it('re-importing the same table changes nothing', async () => {
      const before = await db.query(`SELECT id, updated_at::text, limit_mg_per_kg FROM limit_rows WHERE analyte = '测试菊酯' ORDER BY id`);
      const res = await importCsv(TEST_EDITIONS).expect(200);
      expect(res.body).toMatchObject({ rows: 5, inserted: 0, updated: 0, unchanged: 5, analytesAdded: 0 });
      expect(await db.query(`SELECT id, updated_at::text, limit_mg_per_kg FROM limit_rows WHERE analyte = '测试菊酯' ORDER BY id`)).toEqual(before);
    });

    it('a new edition adds rows and a correction updates one (0.1 and 0.1000 are the same value)', async () => {
      const csv = [HEADER,
        `GB 2763,2021,2021-09-03,测试菊酯,testmethrin,mrl,${KIWI},0.0500,no,`, // same value, other spelling
        'GB 2763,2021,2021-09-03,测试菊酯,testmethrin,mrl,水果,0.4,no,corrected', // correction
        'GB 2763,2030,2030-01-01,测试菊酯,testmethrin,mrl,水果,0.3,no,', // new edition
      ].join('\r\n');
      const res = await importCsv(csv).expect(200);
      expect(res.body).toMatchObject({ rows: 3, inserted: 1, updated: 1, unchanged: 1 });
      expect(res.body.editions).toEqual(expect.arrayContaining([{ standard: 'GB 2763', edition: '2030', effectiveFrom: '2030-01-01', rows: 1 }]));
      const [row] = await db.query(`SELECT limit_mg_per_kg, note FROM limit_rows WHERE analyte = '测试菊酯' AND edition = '2021' AND food_path = '水果'`);
      expect(row).toEqual({ limit_mg_per_kg: '0.400000000000', note: 'corrected' });
      // the index of this process was rebuilt: evaluation sees the correction at once
      const judged = await evaluate({ food: '水果>柑橘类水果>橙', samplingDate: '2025-01-01', results: [{ analyte: '测试菊酯', value: '0.45', unit: 'mg/kg' }] }).expect(200);
      expect(judged.body.results[0]).toMatchObject({ verdict: 'fail', limit: '0.4' });
    });

    it('another API process picks up an import when it next checks the stored table', async () => {
      const other = await createTestApp();
      try {
        const service = other.app.get(LimitsService);
        expect((await service.currentIndex()).findAnalyte('测试乙')).toBeUndefined();
        await importCsv(`${HEADER}\nGB 2763,2021,2021-09-03,测试乙,test-b,mrl,谷物,0.1,no,`).expect(200);
        // the 30 s freshness check calls refresh(); call it directly instead of waiting
        expect((await service.refresh()).findAnalyte('test-b')).toMatchObject({ name: '测试乙' });
      } finally {
        await other.close();
      }
    });

    it('reports every broken row as {row, column, code, message} and imports nothing (all or nothing)', async () => {
      const [{ n: before }] = await db.query('SELECT count(*)::int AS n FROM limit_rows');
      const csv = [HEADER,
        `GB 2763,2021,2021-09-03,测试新药,newcide,mrl,${KIWI},0.1,no,`, // line 2: fine on its own
        'GB 2763,2021,2021-09-03,测试新药,newcide,mrl,水果>榴莲,0.1,no,', // 3: unknown food
        'GB 2763,2021,2021-09-03,测试新药,newcide,mrl,水果,abc,no,', // 4: bad limit
        'GB 2763,2021,2021-09-05,测试新药,newcide,mrl,蔬菜,0.1,no,', // 5: another date for the same edition
        'GB 2763,2021,2021-09-03,测试新药,newcide,often,谷物,0.1,no,', // 6: bad kind
      ].join('\n');
      const res = await importCsv(csv).expect(422);
      expect(res.body.code).toBe('LIMIT_IMPORT_REJECTED');
      expect(res.body.message).toMatch(/4 of 5 rows/);
      expect(res.body.details).toMatchObject({ rowCount: 5, problemCount: 4, truncated: false });
      expect(res.body.details.problems.map((p: { row: number; column: string; code: string }) => [p.row, p.column, p.code])).toEqual([
        [3, 'food', 'UNKNOWN_FOOD'], [4, 'limit_mg_per_kg', 'VALIDATION_FAILED'], [5, 'effective_from', 'EDITION_DATE_CONFLICT'], [6, 'kind', 'VALIDATION_FAILED'],
      ]);
      for (const p of res.body.details.problems) expect(Object.keys(p).sort()).toEqual(['code', 'column', 'message', 'row']);
      const [{ n: after }] = await db.query('SELECT count(*)::int AS n FROM limit_rows');
      expect(after).toBe(before);
      expect(await db.query(`SELECT 1 FROM limit_analytes WHERE name = '测试新药'`)).toEqual([]);
    });

    it('refuses an edition date that contradicts the stored table', async () => {
      const res = await importCsv(`${HEADER}\nGB 2763,2021,2021-10-01,测试菊酯,testmethrin,mrl,谷物,0.1,no,`).expect(422);
      expect(res.body.details.problems[0]).toMatchObject({ row: 2, column: 'effective_from', code: 'EDITION_DATE_CONFLICT' });
    });

    it('refuses a wrong header, an empty table and a JSON body', async () => {
      expect((await importCsv('standard,edition\nGB 2763,2021').expect(422)).body.code).toBe('INVALID_LIMIT_FILE');
      expect((await importCsv(HEADER).expect(422)).body.code).toBe('INVALID_LIMIT_FILE');
      const json = await t.http().post('/api/v1/limits/import').set(auth(ADMIN_TOKEN)).send({ csv: HEADER }).expect(415);
      expect(json.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('accepts text/plain as well (the first table again: its 水果 row undoes the correction above)', async () => {
      const res = await importCsv(TEST_EDITIONS, ADMIN_TOKEN, 'text/plain; charset=utf-8').expect(200);
      expect(res.body).toMatchObject({ rows: 5, inserted: 0, updated: 1, unchanged: 4 });
    });
  });

  describe('large tables and the API document', () => {
    it('imports a 19,000-row table (over 1 MiB) as text/csv in one piece', async () => {
      const lines = [HEADER];
      for (let a = 0; a < 1000; a++) {
        for (const food of ['谷物', '蔬菜', '水果', '肉类', '饮料类>茶叶']) {
          for (const [edition, date] of [['2019', '2020-02-15'], ['2021', '2021-09-03'], ['2026', '2026-03-01']]) {
            lines.push(`GB 2763,${edition},${date},大表农药${a},bulkcide-${a},mrl,${food},0.${(a % 9) + 1},no,generated row for the size test`);
          }
        }
      }
      for (let a = 0; a < 1000; a++) lines.push(...['谷物>稻类', '蔬菜>叶菜类蔬菜'].flatMap((food) => [`GB 2762,2022,2023-06-30,大表农药${a},bulkcide-${a},contaminant,${food},1.5,no,`, `GB 2762,2017,2017-09-17,大表农药${a},bulkcide-${a},contaminant,${food},2,no,`]));
      const csv = lines.join('\n');
      expect(Buffer.byteLength(csv)).toBeGreaterThan(1_048_576);
      const res = await importCsv(csv).expect(200);
      expect(res.body).toMatchObject({ rows: lines.length - 1, inserted: lines.length - 1, analytesAdded: 1000 });
      const judged = await evaluate({ food: '蔬菜>叶菜类蔬菜>芹菜', samplingDate: '2026-03-01', results: [{ analyte: 'bulkcide-7', value: '1.6', unit: 'mg/kg' }] }).expect(200);
      expect(judged.body.results[0].limits.map((l: { citation: string; limit: string; verdict: string }) => [l.citation, l.limit, l.verdict]))
        .toEqual([['GB 2762-2022', '1.5', 'fail'], ['GB 2763-2026', '0.8', 'fail']]);
    });

    it('documents the limits routes in the OpenAPI document', async () => {
      const res = await t.http().get('/docs-json').expect(200);
      for (const path of ['/api/v1/limits', '/api/v1/limits/import', '/api/v1/limits/evaluate', '/api/v1/limits/analytes']) {
        expect(Object.keys(res.body.paths)).toContain(path);
      }
    });
  });

  describe('evaluate', () => {
    const kiwi = (samplingDate: string, value: string, unit = 'mg/kg') => ({ food: KIWI, samplingDate, results: [{ analyte: '测试菊酯', value, unit }] });

    it.each([
      ['2026-02-28', 'pass', 'GB 2763-2021', '0.05'],
      ['2026-03-01', 'fail', 'GB 2763-2026', '0.02'],
      ['2026-03-02', 'fail', 'GB 2763-2026', '0.02'],
    ])('0.03 mg/kg on kiwi sampled %s: %s by %s', async (date, verdict, citation, limit) => {
      const res = await evaluate(kiwi(date, '0.03')).expect(200);
      expect(res.body.verdict).toBe(verdict);
      expect(res.body.results[0]).toMatchObject({ verdict, citation, limit, unit: 'mg/kg', standard: 'GB 2763' });
    });

    it('converts µg/kg and compares exactly at the boundary', async () => {
      expect((await evaluate(kiwi('2026-03-01', '20', 'µg/kg')).expect(200)).body.results[0]).toMatchObject({ value: '0.02', verdict: 'pass' });
      expect((await evaluate(kiwi('2026-03-01', '20.0001', 'μg/kg')).expect(200)).body.results[0].verdict).toBe('fail');
    });

    it('a withdrawn row ends the specific limit: the food group limit applies', async () => {
      const before = await evaluate({ food: PAK_CHOI, samplingDate: '2026-02-28', results: [{ analyte: '测试菊酯', value: '0.8', unit: 'mg/kg' }] }).expect(200);
      expect(before.body.results[0]).toMatchObject({ verdict: 'pass', limit: '1', citation: 'GB 2763-2021' });
      const after = await evaluate({ food: PAK_CHOI, samplingDate: '2026-03-01', results: [{ analyte: '测试菊酯', value: '0.8', unit: 'mg/kg' }] }).expect(200);
      expect(after.body.results[0]).toMatchObject({ verdict: 'no_limit', reason: 'no_limit', limit: null, limits: [] });
    });

    it('judges a whole sample: banned detection, must-not-detect, no limit, and the AND', async () => {
      const lab = await createOrg(t, { kind: 'lab', name: '检测中心' }, 'lab');
      const res = await evaluate({
        food: PAK_CHOI, samplingDate: '2025-07-01', results: [
          { analyte: '克百威', value: '0.005', unit: 'mg/kg', lod: '0.001' },
          { analyte: 'deltamethrin', value: '0.1', unit: 'mg/kg' },
          { analyte: '腐霉利', unit: 'mg/kg', detected: false },
        ],
      }, lab.token).expect(200);
      expect(res.body.verdict).toBe('fail');
      expect(res.body.results.map((r: { verdict: string; reason: string }) => [r.verdict, r.reason])).toEqual([
        ['fail', 'detected_banned'], ['pass', 'within_limit'], ['pass', 'not_detected'],
      ]);
      expect(res.body.results[0]).toMatchObject({ limit: '0.02', citation: 'GB 2763-2021', detected: true });
      const pork = await evaluate({ food: '肉类>畜肉>猪肉', samplingDate: '2025-07-01', results: [{ analyte: '莱克多巴胺', value: '0.3', unit: 'µg/kg' }] }).expect(200);
      expect(pork.body.results[0]).toMatchObject({ verdict: 'fail', reason: 'detected_must_not_be_detected', citation: 'GB 31650-2019' });
      const noLimit = await evaluate({ food: '水果>仁果类水果>苹果', samplingDate: '2025-07-01', results: [
        { analyte: '腐霉利', value: '0.1', unit: 'mg/kg' }, { analyte: '多菌灵', value: '1', unit: 'mg/kg' }] }).expect(200);
      expect(noLimit.body.verdict).toBe('no_limit');
    });

    it.each([
      ['unknown analyte', { food: KIWI, samplingDate: '2025-07-01', results: [{ analyte: '不存在', value: '1', unit: 'mg/kg' }] }, 422, 'UNKNOWN_ANALYTE', 'results[0].analyte'],
      ['unknown food', { food: '水果>榴莲', samplingDate: '2025-07-01', results: [{ analyte: '溴氰菊酯', value: '1', unit: 'mg/kg' }] }, 422, 'UNKNOWN_FOOD', 'food'],
      ['per-volume unit', { food: KIWI, samplingDate: '2025-07-01', results: [{ analyte: '溴氰菊酯', value: '1', unit: 'mg/L' }] }, 422, 'UNIT_NOT_CONVERTIBLE', 'results[0].unit'],
      ['unknown unit', { food: KIWI, samplingDate: '2025-07-01', results: [{ analyte: '溴氰菊酯', value: '1', unit: 'furlongs' }] }, 422, 'UNIT_NOT_CONVERTIBLE', 'results[0].unit'],
      ['malformed value', { food: KIWI, samplingDate: '2025-07-01', results: [{ analyte: '溴氰菊酯', value: '1,5', unit: 'mg/kg' }] }, 400, 'INVALID_DECIMAL', 'results[0].value'],
    ])('%s → %d %s naming %s', async (_label, body, status, code, field) => {
      const res = await evaluate(body).expect(status);
      expect(res.body).toMatchObject({ code, details: { field } });
      expect(res.body.message).toContain(field);
    });

    it.each([
      ['no results', { food: KIWI, samplingDate: '2025-07-01', results: [] }, 'results'],
      ['missing date', { food: KIWI, results: [{ analyte: '溴氰菊酯', value: '1', unit: 'mg/kg' }] }, 'samplingDate'],
      ['bad date', { food: KIWI, samplingDate: '2025-02-30', results: [{ analyte: '溴氰菊酯', value: '1', unit: 'mg/kg' }] }, 'samplingDate'],
      ['unknown field', { food: KIWI, samplingDate: '2025-07-01', results: [{ analyte: '溴氰菊酯', value: '1', unit: 'mg/kg', uncertainty: '0.1' }] }, 'results.0.uncertainty'],
      ['missing value', { food: KIWI, samplingDate: '2025-07-01', results: [{ analyte: '溴氰菊酯', unit: 'mg/kg' }] }, 'results[0].value'],
    ])('%s → 400 naming %s', async (_label, body, field) => {
      const res = await evaluate(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    });

    it('is exported for other modules: LimitsService.judge gives the same answer', async () => {
      const judged = await t.app.get(LimitsService).judge(kiwi('2026-03-01', '0.03'));
      expect(judged).toMatchObject({ verdict: 'fail', results: [{ citation: 'GB 2763-2026' }] });
    });
  });
});
