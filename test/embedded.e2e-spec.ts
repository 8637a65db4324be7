import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, listeningAt, startNode, Started, stop } from './support/processes';

/**
 * The README's run command with no settings: embedded PostgreSQL (PGlite) under ./data,
 * in-process jobs, demo data seeded once. Runs the built dist/src/main.js as a real process.
 */
describe('embedded mode (no DATABASE_URL, no REDIS_URL)', () => {
  // A first start migrates and seeds an embedded PostgreSQL (WASM): ~10 s on a quiet 2-core machine,
  // several times that when the machine is busy. A margin, not a performance assertion.
  jest.setTimeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'tianfu-embedded-'));
  // Printed into QR codes and the banner. The process listens on a port the OS picks (PORT=0: a fixed
  // one, e.g. 43000 + pid % 1000, lies in the ephemeral range and was sometimes taken on a busy
  // machine); `base`, where it listens, is read from its banner.
  const publicBase = 'http://embedded.test';
  let base = '';
  let app: Started | undefined;

  afterAll(async () => {
    if (app) await stop(app);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    app = startNode('main.js', { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PUBLIC_BASE_URL: publicBase });
    base = await listeningAt(app);
  };
  const healthy = () => eventually(async () => {
    const res = await fetch(`${base}/health`);
    return res.ok ? ((await res.json()) as Record<string, unknown>) : undefined;
  }, undefined, undefined, () => app?.output() ?? '');

  it('starts, migrates, seeds the demo once and prints where to open it', async () => {
    await start();
    const health = await healthy();
    expect(health).toMatchObject({ status: 'ok', database: 'up', queue: 'in-process', embedded: true });
    await eventually(async () => (app!.output().includes('Demo scan page') ? true : undefined), undefined, undefined, () => app!.output());
    const banner = app!.output();
    expect(banner).toContain(`Site:          ${publicBase}/`);
    expect(banner).toMatch(/Admin token:\s+adm_/);
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8'));
    expect(banner).toContain(`${publicBase}${demo.scanPath}`);

    const page = await fetch(`${base}${demo.scanPath}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('蒲江县绿源猕猴桃专业合作社');
    expect(html).toContain('承诺达标合格证');
    expect(html).toContain('检测信息');
    // The demo's farm records (catalogue rows marked 示例): the scan page's 农事记录 section, no operator names.
    expect(html).toContain('农事记录');
    expect(html).toContain('（示例）');
    expect(banner).toContain(`${publicBase}${demo.certificatePath}`);
    const certificate = await fetch(`${base}${demo.certificatePath}`);
    expect(await certificate.text()).toContain('有效');
    // The market's lot of the kiwi batch shows the chain from the cooperative to the market.
    expect(banner).toContain(`${publicBase}${demo.marketScanPath}`);
    const chain = await (await fetch(`${base}${demo.marketScanPath}`)).text();
    for (const text of ['流转记录', '蒲江县绿源猕猴桃专业合作社', '成都农产品中心批发市场', '收货']) expect(chain).toContain(text);
    expect(banner).toContain(`${publicBase}${demo.consoleInvitePath}`);
    expect((await fetch(`${base}${demo.consoleInvitePath}`)).status).toBe(200);
    expect(banner).toContain(`${publicBase}${demo.regulatorInvitePath}`);
    expect((await fetch(`${base}${demo.regulatorInvitePath}`)).status).toBe(200);
    const sheet = await fetch(`${base}${demo.labelSheetPath}`, { headers: { Authorization: `Bearer ${demo.orgAdminToken}` } });
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await sheet.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    // Indicators: the demo's three batches all have trace codes; its 40 labels are printed, none scanned.
    const indicators = await fetch(`${base}/api/v1/indicators?indicator=trace_code_coverage,label_scan_rate&from=2020-01`, {
      headers: { Authorization: `Bearer ${demo.orgAdminToken}` },
    });
    const rows = ((await indicators.json()) as { rows: { indicator: string; numerator: string; denominator: string }[] }).rows;
    expect(rows.map((r) => [r.indicator, r.numerator, r.denominator])).toEqual([['trace_code_coverage', '3', '3'], ['label_scan_rate', '0', '40']]);
    // The demo's official samples are judged by the in-process jobs: routine monitoring 1 of 2 passed
    // (the held kiwi batch fails on 溴氰菊酯), supervisory sampling of the tea 1 of 1.
    const sampling = await eventually(async () => {
      const res = await fetch(`${base}/api/v1/indicators?indicator=routine_monitoring,food_sampling&from=2026-01&to=2026-10`, {
        headers: { Authorization: `Bearer ${demo.regulatorToken}` },
      });
      const figures = ((await res.json()) as { rows: { indicator: string; numerator: string; denominator: string }[] }).rows
        .map((r) => [r.indicator, r.numerator, r.denominator]);
      return figures.length === 2 && figures[0][2] === '2' && figures[1][2] === '1' ? figures : undefined;
    }, undefined, undefined, () => app?.output() ?? '');
    expect(sampling).toEqual([['routine_monitoring', '1', '2'], ['food_sampling', '1', '1']]);
    // The failure's consequence flow ends by notifying the region's regulator (waited for, so that
    // the restart test below stops an idle process).
    await eventually(async () => {
      const res = await fetch(`${base}/api/v1/notifications`, { headers: { Authorization: `Bearer ${demo.regulatorToken}` } });
      const kinds = ((await res.json()) as { items: { kind: string }[] }).items.map((n) => n.kind);
      return kinds.includes('sample.failed') ? true : undefined;
    }, undefined, undefined, () => app?.output() ?? '');
  });

  it('serves the dashboard from the embedded database (its list queries run on PGlite too)', async () => {
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8'));
    const form = await fetch(`${base}${demo.consoleInvitePath}`);
    const csrfCookie = form.headers.getSetCookie().find((c) => c.startsWith('tf_lcsrf='))!.split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
    const accepted = await fetch(`${base}${demo.consoleInvitePath}`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
      body: new URLSearchParams({ _csrf: csrf, password: '绿源合作社嵌入式2026', confirm: '绿源合作社嵌入式2026' }).toString(),
    });
    const cookie = accepted.headers.getSetCookie().find((c) => c.startsWith('tf_sid='))!.split(';')[0];
    const overview = await fetch(`${base}/app/dashboard?from=2020-01`, { headers: { cookie } });
    expect(overview.status).toBe(200);
    expect(await overview.text()).toMatch(/data-indicator="trace_code_coverage" data-numerator="3" data-denominator="3"/);
    const own = /href="(\/app\/dashboard\/organizations\/[^"?]+)/.exec(await (await fetch(`${base}/app/dashboard`, { headers: { cookie } })).text())![1];
    for (const path of [`${own}?from=2020-01`, '/app/dashboard/failed-samples?from=2020-01', '/app/dashboard/certificate-gaps?from=2020-01', '/app/dashboard/export/kpi.xlsx']) {
      expect([path, (await fetch(`${base}${path}`, { headers: { cookie } })).status]).toEqual([path, 200]);
    }
  });

  it('records a transformation on the embedded database (its one connection never waits on itself)', async () => {
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8'));
    const headers = { Authorization: `Bearer ${demo.orgAdminToken}`, 'content-type': 'application/json' };
    const tea = (await (await fetch(`${base}/api/v1/batches/${demo.batchIds[1]}`, { headers })).json()) as { id: string; product: { id: string }; siteId: string };
    // Repacking 10 kg of the tea: a movement checks its lot inside its transaction. A read outside it
    // once waited forever for the embedded database's only connection (the whole platform hung).
    const res = await fetch(`${base}/api/v1/transformations`, {
      method: 'POST', headers, signal: AbortSignal.timeout(30_000),
      body: JSON.stringify({
        kind: 'repacking', inputs: [{ batchId: tea.id, quantity: { value: '10', unit: 'kg' } }],
        outputs: [{ productId: tea.product.id, siteId: tea.siteId, quantity: { value: '10', unit: 'kg' } }],
      }),
    });
    expect(res.status).toBe(201);
    const made = ((await res.json()) as { outputs: { batchId: string }[] }).outputs[0].batchId;
    const trace = await (await fetch(`${base}/api/v1/batches/${made}/trace?direction=up`, { headers })).json() as { lots: { id: string }[] };
    expect(trace.lots.map((l) => l.id)).toContain(tea.id);
  });

  it('stops gracefully and keeps its data across restarts without seeding twice', async () => {
    const before = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8'));
    const batchCount = async () => ((await (await fetch(`${base}/api/v1/batches`, { headers: { Authorization: `Bearer ${before.orgAdminToken}` } })).json()) as { items: unknown[] }).items.length;
    const batchesBefore = await batchCount();
    // SIGTERM: Nest's shutdown hooks (flush scans, finish jobs), then PGlite closes cleanly, exit 0.
    expect(await stop(app!)).toBe(0);
    expect(app!.output()).not.toMatch(/"level":"error"|Error:/);
    expect(app!.output()).not.toContain('indicator fold failed');
    // One connection runs one query at a time: pg warns (pg 9 will refuse) when queries overlap on a
    // client, as the audit hooks of the demo's multi-row GI import once did.
    expect(app!.output()).not.toContain('already executing a query');
    // Console logins write sessions (not audited: bookkeeping) and login counters in audited transactions.
    expect(app!.output()).not.toContain('audited write outside a transaction');
    await start();
    await healthy();
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8'));
    expect(demo).toEqual(before);
    // The demo's three batches and the repacked lot, once each.
    expect(batchesBefore).toBe(4);
    expect(await batchCount()).toBe(batchesBefore);
  });
});
