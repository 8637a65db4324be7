import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { ConsoleClient, consoleUser } from './support/console';
import { auth, createOrg, createProduct, createSite } from './support/factories';
import { DashboardWorld, seedDashboardWorld } from './support/dashboard-world';
import { createTestApp, TestApp } from './support/test-app';
import { DashboardListsService } from '../src/modules/dashboard/dashboard-lists.service';
import { cursorCodec } from '../src/common/pagination';

const PASSWORD = '巴中市监管2026秋天';

/** The `data-*` figures of each KPI tile on a page. */
function tiles(html: string): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {};
  for (const m of html.matchAll(/data-indicator="([a-z_]+)" data-numerator="([^"]*)" data-denominator="([^"]*)"/g)) out[m[1]] = [m[2], m[3]];
  return out;
}

/** Text of the cells of a `data-table` on a page, row by row (tags stripped). */
function tableRows(html: string, id: string): string[][] {
  const start = html.indexOf(`data-table="${id}"`);
  if (start < 0) return [];
  const body = html.slice(html.indexOf('<tbody>', start), html.indexOf('</tbody>', start));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((r) => [...r[1].matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)]
    .map((c) => c[1].replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').trim()));
}

/** The first sheet's cells as text, padded to the header's width (empty cells → ''), for comparing with the CSV. */
async function xlsxRows(res: Response): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.body as ArrayBuffer);
  const sheet = book.worksheets[0];
  const width = sheet.getRow(1).cellCount;
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push(Array.from({ length: width }, (_, i) => {
    const v = row.getCell(i + 1).value;
    return v === null || v === undefined ? '' : String(v);
  })));
  return rows;
}

function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('regulator dashboard /app/dashboard', () => {
  let t: TestApp;
  let w: DashboardWorld;
  let bazhong: ConsoleClient;
  let guangan: ConsoleClient;
  let tongjiang: ConsoleClient;

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedDashboardWorld(t);
    bazhong = await consoleUser(t, w.bazhong.id, `bazhong-${Date.now()}`, PASSWORD, 'regulator');
    guangan = await consoleUser(t, w.guangan.id, `guangan-${Date.now()}`, PASSWORD, 'regulator');
    tongjiang = await consoleUser(t, w.tongjiang.id, `tongjiang-${Date.now()}`, PASSWORD, 'org_admin');
  });
  afterAll(() => t.close());

  it('shows a regulator its 市(州): KPI tiles from what was seeded, and its counties with drill-down links', async () => {
    const res = await bazhong.get('/app/dashboard');
    expect(res.status).toBe(200);
    const figures = tiles(res.text);
    expect(figures.routine_monitoring).toEqual(['1', '2']);
    expect(figures.food_sampling).toEqual(['1', '1']);
    expect(figures.trace_code_coverage).toEqual(['3', '3']);
    expect(res.text).toMatch(/data-indicator="routine_monitoring"[^>]*>[\s\S]*?50\.00%[\s\S]*?✗<\/span> 未达标/);
    expect(res.text).toContain('四川省巴中市 · 2026-01 至');
    const counties = tableRows(res.text, 'regions');
    // 巴州区 has figures too: the lab registered there counts in USCC coverage.
    expect(counties.map((r) => r[0])).toEqual(['巴州区', '通江县', '南江县']);
    expect(res.text).toMatch(/<a href="\/app\/dashboard\?region=511921&amp;from=2026-01[^"]*">通江县<\/a>/);
    // By product category: the top of the tree, each linking one level down; then 水果's children.
    const categories = tableRows(res.text, 'categories');
    expect(categories.map((r) => r.slice(0, 2))).toEqual([['水果', '水果']]);
    expect(res.text).toMatch(/<a href="\/app\/dashboard\?from=2026-01[^"]*category=%E6%B0%B4%E6%9E%9C[^"]*">水果<\/a>/);
    const fruit = await bazhong.get(`/app/dashboard?category=${encodeURIComponent('水果')}`);
    expect(tableRows(fruit.text, 'categories').map((r) => r[1].replace(/&gt;/g, '>'))).toEqual(['水果>浆果和其他小型水果']);
    // GI products: the claimed amount in the product's own unit, and the batches claiming it.
    expect(tableRows(res.text, 'gi')).toEqual([[w.gi.name, 'kg', '1,200.5', '1']]);
    // The region select offers the jurisdiction and what lies inside it, nothing else.
    const options = [...res.text.matchAll(/<option value="(\d{6})"/g)].map((m) => m[1]);
    expect(options[0]).toBe('511900');
    expect(options).toContain('511921');
    expect(options.every((c) => c.startsWith('5119'))).toBe(true);
  });

  it('drills county → organisations → batches → samples', async () => {
    const county = await bazhong.get('/app/dashboard?region=511921');
    expect(county.status).toBe(200);
    expect(tiles(county.text).routine_monitoring).toEqual(['1', '2']);
    expect(tiles(county.text).food_sampling).toEqual(['0', '0']);
    const orgs = tableRows(county.text, 'organizations');
    expect(orgs.map((r) => r[0])).toEqual([w.tongjiang.name]);
    expect(county.text).toContain(`href="/app/dashboard/organizations/${w.tongjiang.id}?region=511921`);

    const org = await bazhong.get(`/app/dashboard/organizations/${w.tongjiang.id}?region=511921`);
    expect(org.status).toBe(200);
    expect(tiles(org.text).certificate_issuance).toEqual(['1', '2']);
    const batches = tableRows(org.text, 'batches');
    expect(batches.map((r) => [r[0], r[5], r[6], r[7], r[8], r[9], r[10]])).toEqual([
      ['TJ-2026-002', '暂停', '未开具', w.batches.failed.traceCode, '1', '0', '1'],
      ['TJ-2026-001', '正常', '有效', w.batches.certified.traceCode, '1', '1', '0'],
    ]);

    const batch = await bazhong.get(`/app/dashboard/batches/${w.batches.failed.id}`);
    expect(batch.status).toBe(200);
    const samples = tableRows(batch.text, 'samples');
    expect(samples).toHaveLength(1);
    expect(samples[0][0]).toMatch(/^\d{16}$/);
    expect(samples[0].slice(1)).toEqual(['例行监测', '2026-10-20', expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), '已判定', '不合格', '溴氰菊酯']);
  });

  it('lists failed samples and batches without certificates, and pages through them by keyset', async () => {
    const failed = await bazhong.get('/app/dashboard/failed-samples');
    expect(failed.status).toBe(200);
    const rows = tableRows(failed.text, 'failed-samples');
    expect(rows.map((r) => [r[1], r[3], r[4], r[6], r[8]])).toEqual([['2026-10-20', '例行监测', w.tongjiang.name, 'TJ-2026-002', '溴氰菊酯']]);
    expect(failed.text).toContain('共 1 个不合格样品。');
    // The window is the month sampled, as the tiles count: October has the failure, November (when it was judged) has not.
    expect(tableRows((await bazhong.get('/app/dashboard/failed-samples?from=2026-10&to=2026-10')).text, 'failed-samples')).toHaveLength(1);
    const november = await bazhong.get('/app/dashboard/failed-samples?from=2026-11&to=2026-11');
    expect(tableRows(november.text, 'failed-samples')).toHaveLength(0);
    expect(november.text).toContain('该期间没有不合格样品');
    const gaps = await bazhong.get('/app/dashboard/certificate-gaps');
    expect(tableRows(gaps.text, 'certificate-gaps').map((r) => r[4]).sort()).toEqual(['NJ-2026-001', 'TJ-2026-002']);
    expect(tableRows(gaps.text, 'certificate-gaps-summary').map((r) => [r[0], r[2], r[3]]).sort())
      .toEqual([[w.nanjiang.name, '1', '1'], [w.tongjiang.name, '2', '1']].sort());
    // The category filter applies to the list and its totals: every gap here is fruit, none is a vegetable.
    const fruitGaps = await bazhong.get(`/app/dashboard/certificate-gaps?category=${encodeURIComponent('水果')}`);
    expect(tableRows(fruitGaps.text, 'certificate-gaps').map((r) => r[4]).sort()).toEqual(['NJ-2026-001', 'TJ-2026-002']);
    const vegetableGaps = await bazhong.get(`/app/dashboard/certificate-gaps?category=${encodeURIComponent('蔬菜')}`);
    expect(tableRows(vegetableGaps.text, 'certificate-gaps')).toEqual([]);
    expect(tableRows(vegetableGaps.text, 'certificate-gaps-summary')).toEqual([]);

    // Keyset pages of one row each add up to the whole list, without repeats.
    const lists = t.app.get(DashboardListsService);
    const actor = { role: 'regulator' as const, organizationId: w.bazhong.id, regionCode: '511900', apiKeyId: null };
    const scope = { region: null, from: '2026-01-01', to: '2026-12-31', category: null };
    const first = await lists.batchesOf(actor, w.tongjiang.id, scope, { limit: 1 });
    const second = await lists.batchesOf(actor, w.tongjiang.id, scope, { limit: 1, cursor: first.nextCursor! });
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((b) => b.lotCode)).toEqual(['TJ-2026-002', 'TJ-2026-001']);
    expect((await bazhong.get('/app/dashboard/failed-samples?cursor=not-a-cursor')).status).toBe(400);
    // Failed samples continue after a (judged_on day, id) position; a cursor of the batches list is refused.
    const afterNewYear = cursorCodec('dashboard-failed-samples', 'date').encode({ sort: '2027-01-01', id: 'ffffffff-ffff-4fff-bfff-ffffffffffff' });
    expect((await lists.failedSamples(actor, scope, { limit: 1, cursor: afterNewYear })).items.map((r) => r.lotCode)).toEqual(['TJ-2026-002']);
    await expect(lists.failedSamples(actor, scope, { limit: 1, cursor: first.nextCursor! })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it('exports every table as CSV (BOM, parses) and XLSX (same rows, numbers as numbers)', async () => {
    for (const [path, id] of [['/app/dashboard', 'regions'], ['/app/dashboard', 'categories'], ['/app/dashboard', 'gi'], ['/app/dashboard/failed-samples', 'failed-samples'], ['/app/dashboard/certificate-gaps', 'certificate-gaps']]) {
      const page = await bazhong.get(path);
      const link = new RegExp(`href="(/app/dashboard/export/${id}\\.csv[^"]*)"`).exec(page.text)![1].replace(/&amp;/g, '&');
      const csv = await t.http().get(link).set('Cookie', bazhong.cookieHeader()).buffer(true).parse(binary);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="dashboard-[\w-]+\.csv"; filename\*=UTF-8''%[0-9A-F]{2}/);
      const bytes = csv.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const csvRows = parse(bytes.toString('utf8'), { bom: true }) as string[][];
      const xlsx = await t.http().get(link.replace(`${id}.csv`, `${id}.xlsx`)).set('Cookie', bazhong.cookieHeader()).buffer(true).parse(binary);
      expect(xlsx.status).toBe(200);
      expect(await xlsxRows(xlsx)).toEqual(csvRows);
      expect(csvRows.length - 1).toBe(tableRows(page.text, id).length);
    }
    const regions = await t.http().get('/app/dashboard/export/regions.csv').set('Cookie', bazhong.cookieHeader()).buffer(true).parse(binary);
    const [head, ...byRegion] = parse((regions.body as Buffer).toString('utf8'), { bom: true }) as string[][];
    const tongjiang = byRegion.find((r) => r[head.indexOf('地区')] === '通江县')!;
    const at = (name: string) => tongjiang[head.indexOf(name)];
    expect(at('区划代码')).toBe('511921');
    expect(at('农产品质量安全例行监测合格率·合格样品数')).toBe('1');
    expect(at('农产品质量安全例行监测合格率·检测样品数')).toBe('2');
    expect(at('农产品质量安全例行监测合格率·比率')).toBe('0.5');
    const kpi = await t.http().get('/app/dashboard/export/kpi.xlsx').set('Cookie', bazhong.cookieHeader()).buffer(true).parse(binary);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(kpi.body as ArrayBuffer);
    const routine = book.worksheets[0].getRow(2);
    expect(routine.getCell(1).value).toBe('农产品质量安全例行监测合格率');
    expect(routine.getCell(2).value).toBe(0.5);
    expect(routine.getCell(2).numFmt).toBe('0.00%');
    expect(routine.getCell(3).value).toBe(1);
    expect(routine.getCell(4).value).toBe(2);
    const samples = await t.http().get(`/app/dashboard/export/samples.csv?batch=${w.batches.failed.id}`).set('Cookie', bazhong.cookieHeader()).buffer(true).parse(binary);
    expect((parse((samples.body as Buffer).toString('utf8'), { bom: true }) as string[][])[1][5]).toBe('不合格');
  });

  it('keeps another region\'s regulator out (404) and shows it only its own region', async () => {
    expect((await guangan.get('/app/dashboard?region=511900')).status).toBe(404);
    expect((await guangan.get('/app/dashboard?region=511921')).status).toBe(404);
    expect((await guangan.get(`/app/dashboard/organizations/${w.tongjiang.id}`)).status).toBe(404);
    expect((await guangan.get(`/app/dashboard/batches/${w.batches.failed.id}`)).status).toBe(404);
    expect((await guangan.get('/app/dashboard/export/failed-samples.csv?region=511921')).status).toBe(404);
    expect((await guangan.get(`/app/dashboard/export/samples.csv?batch=${w.batches.failed.id}`)).status).toBe(404);
    const own = await guangan.get('/app/dashboard');
    expect(own.status).toBe(200);
    expect(tiles(own.text).routine_monitoring).toEqual(['0', '0']);
    expect(tableRows(own.text, 'gi')).toEqual([]);
    expect(own.text).toContain('该期间没有标注地理标志的批次');
    expect(tableRows((await guangan.get('/app/dashboard/failed-samples')).text, 'failed-samples')).toEqual([]);
  });

  it('shows a producer its own figures only, and nobody else\'s records', async () => {
    const res = await tongjiang.get('/app/dashboard');
    expect(res.status).toBe(200);
    expect(tiles(res.text).routine_monitoring).toEqual(['1', '2']);
    expect(tiles(res.text).food_sampling).toEqual(['0', '0']);
    expect(tableRows(res.text, 'gi')).toEqual([[w.gi.name, 'kg', '1,200.5', '1']]);
    expect(res.text).not.toContain('name="region"');
    expect(res.text).toContain(`href="/app/dashboard/organizations/${w.tongjiang.id}?`);
    expect(res.text).toContain('href="/app/dashboard"');
    expect((await tongjiang.get(`/app/dashboard/organizations/${w.nanjiang.id}`)).status).toBe(404);
    expect((await tongjiang.get(`/app/dashboard/batches/${w.batches.nanjiang.id}`)).status).toBe(404);
    const gaps = tableRows((await tongjiang.get('/app/dashboard/certificate-gaps')).text, 'certificate-gaps');
    expect(gaps.map((r) => r[4])).toEqual(['TJ-2026-002']);
  });

  it('answers bad filters with 400: the form with the problem next to the field, or JSON naming field and rule', async () => {
    const page = await bazhong.get('/app/dashboard?from=2026-13');
    expect(page.status).toBe(400);
    expect(page.text).toMatch(/id="err-from"[^>]*>请填写月份，如 2026-01/);
    expect(page.text).toContain('value="2026-13"');
    const json = await t.http().get('/app/dashboard?from=2026-13').set('Cookie', bazhong.cookieHeader()).set('Accept', 'application/json');
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'from', rule: 'month' } });
    const order = await bazhong.get('/app/dashboard/failed-samples?from=2026-06&to=2026-05');
    expect(order.status).toBe(400);
    expect(order.text).toMatch(/id="err-to"[^>]*>截止月份不能早于起始月份/);
    const category = await t.http().get('/app/dashboard?category=火星蔬菜').set('Cookie', bazhong.cookieHeader()).set('Accept', 'application/json');
    expect(category.status).toBe(400);
    expect(category.body).toMatchObject({ code: 'UNKNOWN_CATEGORY', details: { field: 'category' } });
    expect((await bazhong.get('/app/dashboard?region=12345')).status).toBe(400);
    expect((await bazhong.get('/app/dashboard?period=week')).text).toContain('id="err-period"');
    expect((await bazhong.get('/app/dashboard/export/regions.pdf')).status).toBe(404);
    expect((await bazhong.get('/app/dashboard/export/nothing.csv')).status).toBe(404);
    const noBatch = await t.http().get('/app/dashboard/export/samples.csv').set('Cookie', bazhong.cookieHeader()).set('Accept', 'application/json');
    expect(noBatch.status).toBe(400);
    expect(noBatch.body).toMatchObject({ details: { field: 'batch', rule: 'required' } });
    // Filters by category and period still answer.
    const fruit = await bazhong.get('/app/dashboard?category=水果&period=quarter');
    expect(fruit.status).toBe(200);
    expect(tiles(fruit.text).routine_monitoring).toEqual(['1', '2']);
    expect(fruit.text).toContain('2026-Q4');
  });

  it('sends people without a session to the login page', async () => {
    const res = await new ConsoleClient(t).get('/app/dashboard?region=511921');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/app/login?next=%2Fapp%2Fdashboard%3Fregion%3D511921');
  });

  // Last: the shipment adds a lot in 广安市, which the figures asserted above do not count.
  it('shows where a batch went: the lots downstream, linked only where the reader may open them, exported', async () => {
    const market = { ...(await createOrg(t, { name: '广安农产品批发市场', kind: 'market', regionCode: '511602' })), name: '广安农产品批发市场' };
    const marketProduct = await createProduct(t, market.token, { name: '猕猴桃（批发）' });
    const marketSite = await createSite(t, market.token, { name: '批发市场仓库', regionCode: '511602' });
    const shipment = await t.http().post('/api/v1/shipments').set(auth(w.tongjiang.token))
      .send({ batchId: w.batches.certified.id, toOrganizationId: market.id, quantity: { value: '300', unit: 'kg' } }).expect(201);
    const receipt = await t.http().post(`/api/v1/shipments/${shipment.body.id}/receipt`).set(auth(market.token))
      .send({ productId: marketProduct.id, siteId: marketSite.id }).expect(201);
    const received = receipt.body.receivedBatch as { id: string; lotCode: string };

    const page = await bazhong.get(`/app/dashboard/batches/${w.batches.certified.id}`);
    expect(page.status).toBe(200);
    const rows = tableRows(page.text, 'trace');
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6]])).toEqual([
      [received.lotCode, '下游 1 级', market.name, '猕猴桃（批发）', '四川省广安市广安区', '300', 'kg'],
    ]);
    // 广安 is outside 巴中: the lot is listed, not linked (its page would answer 404 to this regulator).
    expect(page.text).not.toContain(`/app/dashboard/batches/${received.id}`);
    expect((await bazhong.get(`/app/dashboard/batches/${received.id}`)).status).toBe(404);
    // The 广安 regulator opens the received lot and sees where it came from, linked nowhere outside 广安.
    const upstream = await guangan.get(`/app/dashboard/batches/${received.id}`);
    expect(tableRows(upstream.text, 'trace').map((r) => [r[0], r[1], r[2]])).toEqual([['TJ-2026-001', '上游 1 级', w.tongjiang.name]]);
    expect(upstream.text).not.toContain(`/app/dashboard/batches/${w.batches.certified.id}`);
    // A batch with no movements says so.
    expect((await bazhong.get(`/app/dashboard/batches/${w.batches.failed.id}`)).text).toContain('该批次没有发货、收货或加工记录');

    const csv = await t.http().get(`/app/dashboard/export/trace.csv?batch=${w.batches.certified.id}`).set('Cookie', bazhong.cookieHeader()).buffer(true).parse(binary);
    expect(csv.status).toBe(200);
    const [head, ...lots] = parse((csv.body as Buffer).toString('utf8'), { bom: true }) as string[][];
    expect(head.slice(0, 3)).toEqual(['批号', '环节', '主体']);
    expect(lots.map((r) => r[0])).toEqual([received.lotCode]);
    expect((await guangan.get(`/app/dashboard/export/trace.csv?batch=${w.batches.certified.id}`)).status).toBe(404);
  });
});
