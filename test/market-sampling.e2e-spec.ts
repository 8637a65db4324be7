import { DataSource } from 'typeorm';
import { auth, createOrg, createRegulator } from './support/factories';
import { consoleUser } from './support/console';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

const PASSWORD = '绿源猕猴桃2026春天';
const HEADER = 'period,region_code,samples,failed';
const SOURCE = '四川省市场监督管理局 2026 年第三季度食品安全监督抽检情况通告';

/** The market regulator's published sampling results: imported by a provincial regulator, shown on the dashboard. */
describe('market regulator sampling statistics', () => {
  let t: TestApp;
  let province: Awaited<ReturnType<typeof createRegulator>>;
  let city: Awaited<ReturnType<typeof createRegulator>>;

  const importCsv = (token: string, csv: string, query = `source=${encodeURIComponent(SOURCE)}&fileName=2026Q3.csv`) =>
    t.http().post(`/api/v1/market-sampling/stats.csv?${query}`).set(auth(token)).set('Content-Type', 'text/csv').send(csv);
  const list = async (token: string, query = '') =>
    (await t.http().get(`/api/v1/market-sampling/stats${query}`).set(auth(token)).expect(200)).body.items as Record<string, unknown>[];

  beforeAll(async () => {
    t = await createTestApp();
    province = await createRegulator(t, '510000');
    city = await createRegulator(t, '510100');
  });
  afterAll(() => t.close());

  it('lets only a provincial regulator (or the admin) import, and refuses a file with any bad row whole', async () => {
    const producer = await createOrg(t);
    await importCsv(city.token, `${HEADER}\n2026-Q3,510100,10,0`).expect(403);
    await importCsv(producer.token, `${HEADER}\n2026-Q3,510100,10,0`).expect(403);
    const noSource = await importCsv(province.token, `${HEADER}\n2026-Q3,510100,10,0`, 'fileName=x.csv').expect(400);
    expect(JSON.stringify(noSource.body)).toContain('source');
    const bad = await importCsv(province.token, `${HEADER}\n2026-Q3,510000,100,1\n2026-Q3,500000,10,0\n2026-Q3,510100,5,6`).expect(422);
    expect(bad.body).toMatchObject({
      code: 'MARKET_SAMPLING_IMPORT_REJECTED',
      details: { rowCount: 3, problemCount: 2, problems: [
        { row: 3, column: 'region_code', code: 'REGION_OUTSIDE_JURISDICTION', message: expect.any(String) },
        { row: 4, column: 'failed', code: 'FAILED_OVER_SAMPLES', message: expect.any(String) },
      ] },
    });
    const header = await importCsv(province.token, 'period,region,samples\n2026,510000,1').expect(400);
    expect(header.body.code).toBe('INVALID_CSV');
    expect(await list(province.token)).toEqual([]);
  });

  it('stores each figure with its source, file and importer; a re-import of a period replaces it atomically', async () => {
    const first = await importCsv(province.token, `${HEADER}\n2026-Q2,510000,40000,1000\n2026-Q3,510000,41250,980\n2026-Q3,510100,9120,201\n`).expect(201);
    expect(first.body).toMatchObject({ source: SOURCE, fileName: '2026Q3.csv', periods: ['2026-Q2', '2026-Q3'], rows: 3, replaced: 0 });
    const [record] = await t.app.get(DataSource).query('SELECT organization_id, imported_by, scope_code FROM market_sampling_imports WHERE id = $1', [first.body.importId]);
    expect(record).toMatchObject({ organization_id: province.id, imported_by: expect.any(String), scope_code: '510000' });

    // Corrected figures for Q3 only: Q3's rows are replaced (the city row dropped from the file is gone), Q2 stays.
    const again = await importCsv(province.token, `${HEADER}\n2026-Q3,510000,41300,950\n`, `source=${encodeURIComponent('更正通告')}`).expect(201);
    expect(again.body).toMatchObject({ periods: ['2026-Q3'], rows: 1, replaced: 2, fileName: null });
    const rows = await list(province.token);
    expect(rows.map((r) => [r.period, r.regionCode, r.samples, r.failed, r.source]).sort()).toEqual([
      ['2026-Q2', '510000', 40000, 1000, SOURCE],
      ['2026-Q3', '510000', 41300, 950, '更正通告'],
    ]);
    expect(rows.find((r) => r.period === '2026-Q3')!.passRate).toBeCloseTo(1 - 950 / 41300, 10);
    // A city regulator reads its own region's figures only.
    // The admin's import of another province's Q3 leaves Sichuan's alone; a city regulator reads its own region only.
    await importCsv(ADMIN_TOKEN, `${HEADER}\n2026-Q3,500000,100,1\n`).expect(201);
    expect((await list(province.token, '?period=2026q3')).map((r) => r.regionCode)).toEqual(['510000']);
    expect(await list(city.token)).toEqual([]);
    expect((await list(ADMIN_TOKEN, '?period=2026-Q3')).map((r) => r.regionCode).sort()).toEqual(['500000', '510000']);
  });

  it('shows the published figure beside 食品抽检合格率 on the dashboard, labelled with its period and source; imports from the console', async () => {
    const person = await consoleUser(t, province.id, `province-${Date.now()}`, PASSWORD, 'regulator');
    await importCsv(province.token, `${HEADER}\n2026-H1,510000,80000,1500\n`).expect(201);
    const page = await person.get('/app/dashboard?from=2026-01&to=2026-12');
    expect(page.status).toBe(200);
    const tile = /<article[^>]*data-market-sampling="([^"]+)"[\s\S]*?<\/article>/.exec(page.text);
    expect(tile?.[1]).toBe('2026-Q3');
    expect(tile?.[0]).toContain('市场监管部门');
    expect(tile?.[0]).toContain('更正通告');
    expect(tile?.[0]).toContain('97.70%');
    // Right after the platform's own food_sampling tile.
    expect(page.text.indexOf('data-market-sampling')).toBeGreaterThan(page.text.indexOf('data-indicator="food_sampling"'));
    expect(page.text).toContain('href="/app/dashboard/market-sampling"');
    const h1 = await person.get('/app/dashboard?from=2026-01&to=2026-06');
    expect(/data-market-sampling="([^"]+)"/.exec(h1.text)?.[1]).toBe('2026-H1');

    // The console form: every field's problem at once, then an import.
    const empty = await person.submit('/app/dashboard/market-sampling', '/app/dashboard/market-sampling', { source: '', fileName: '', csv: '' });
    expect(empty.status).toBe(422);
    expect(empty.text).toMatch(/data-field="source"/);
    expect(empty.text).toMatch(/data-field="csv"/);
    const badRows = await person.submit('/app/dashboard/market-sampling', '/app/dashboard/market-sampling',
      { source: '通告', fileName: '', csv: `${HEADER}\n2026-10,500000,10,0` });
    expect(badRows.status).toBe(422);
    expect(badRows.text).toContain('500000');
    expect(badRows.text).toContain('未导入任何数据');
    const done = await person.submit('/app/dashboard/market-sampling', '/app/dashboard/market-sampling',
      { source: '四川省市场监督管理局 2026 年 10 月通告', fileName: '2026-10.csv', csv: `${HEADER}\n2026-10,510000,12000,240` });
    expect(done.status).toBe(303);
    const [record] = await t.app.get(DataSource).query("SELECT imported_by FROM market_sampling_imports WHERE file_name = '2026-10.csv'");
    expect(record.imported_by).toMatch(/^user:/);
    // A city regulator is not offered the import and is sent back from it.
    const cityPerson = await consoleUser(t, city.id, `city-${Date.now()}`, PASSWORD, 'regulator');
    expect((await cityPerson.get('/app/dashboard')).text).not.toContain('href="/app/dashboard/market-sampling"');
    expect((await cityPerson.get('/app/dashboard/market-sampling')).status).toBe(303);
  });
});
