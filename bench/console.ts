/**
 * Console: page weight (bytes transferred) and time until usable for the home and batch pages in
 * Chromium at phone size, cold (empty cache) and warm (reload); and the whole "create a batch and
 * print 1,000 labels" flow end to end over HTTP with a session cookie, as a browser sends it.
 *   npm run build && npx tsx bench/console.ts        (needs PostgreSQL on 127.0.0.1:5432 and /usr/bin/chromium)
 * Every console page (each role's), against the budget of ≤ 50 KB and ≤ 500 ms DOMContentLoaded cold.
 * Settings: BENCH_RUNS (default 7), BENCH_LABELS (default 1000), BENCH_PAGES=home-batch (the two pages
 * measured before) or BENCH_PAGES=workspaces (the lab's, regulator's, shipments and batch-step pages of
 * issue 20), BENCH_PAGES=gi (the regulator's 地理标志 list and record pages), BENCH_FLOW=0 (pages only).
 */
import { chromium } from 'playwright-core';
import { completeUscc } from '../libs/codes';
import { BENCH_ADMIN_TOKEN, call, ConsoleSession as Session, demoBatch, runBench, table, withApi } from './support';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const LABELS = Number(process.env.BENCH_LABELS ?? 1000);
const PASSWORD = '绿源猕猴桃2026春天';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

runBench(async () => {
  // An http:// base: console cookies are Secure only under https, and Chromium talks plain HTTP to the API here.
  await withApi({ PUBLIC_RATE_LIMIT_MAX: '10000000', PUBLIC_BASE_URL: 'http://127.0.0.1' }, async (api) => {
    const { token, batchId } = await demoBatch(api.url);
    const orgId = (await call(api.url, `/api/v1/batches/${batchId}`, token)).json.organizationId as string;
    const invite = (await call(api.url, `/api/v1/organizations/${orgId}/console-invites`, BENCH_ADMIN_TOKEN, { loginName: 'bench-admin', displayName: '王丽', role: 'org_admin' })).json;
    const session = new Session(api.url);
    const invitePath = new URL(invite.inviteUrl as string).pathname;
    const invitePage = await session.get(invitePath);
    await session.post(invitePath, { ...Session.hidden(invitePage.text, invitePath), password: PASSWORD, confirm: PASSWORD });
    // A few batches and certificates so the home page has something to show.
    const batch = (await call(api.url, `/api/v1/batches/${batchId}`, token)).json;
    for (let i = 0; i < 5; i++) {
      await call(api.url, '/api/v1/batches', token, { productId: batch.product.id, siteId: batch.siteId, quantity: { value: '100', unit: 'kg' }, producedOn: '2026-11-20' });
    }

    // Every console page: a certificate to show, a regulator of 成都市 with their own session.
    const cert = (await call(api.url, '/api/v1/certificates', token, {
      batchId, basis: ['quality_control'], evidence: { qualityControl: '按规程生产' }, quantity: { value: '10', unit: 'kg' },
    })).json;
    const bureau = (await call(api.url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, {
      name: '成都市农业农村局（基准）', kind: 'regulator', regionCode: '510100', uscc: completeUscc(`11510100${Date.now().toString(36).toUpperCase().slice(-8).replace(/[IOSVZ]/g, '1')}`),
    })).json;
    const regulator = new Session(api.url);
    const regInvite = (await call(api.url, `/api/v1/organizations/${bureau.id}/console-invites`, BENCH_ADMIN_TOKEN, { loginName: 'bench-regulator', displayName: '监管员', role: 'regulator' })).json;
    const regPath = new URL(regInvite.inviteUrl as string).pathname;
    const regPage = await regulator.get(regPath);
    await regulator.post(regPath, { ...Session.hidden(regPage.text, regPath), password: PASSWORD, confirm: PASSWORD });
    // A provincial regulator: the market regulator's sampling import page and the dashboard with that figure.
    const province = (await call(api.url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, {
      name: '四川省农业农村厅（基准）', kind: 'regulator', regionCode: '510000', uscc: completeUscc(`11510000${Date.now().toString(36).toUpperCase().slice(-8).replace(/[IOSVZ]/g, '3')}`),
    })).json;
    const provincial = new Session(api.url);
    const provInvite = (await call(api.url, `/api/v1/organizations/${province.id}/console-invites`, BENCH_ADMIN_TOKEN, { loginName: 'bench-province', displayName: '省厅', role: 'regulator' })).json;
    const provPath = new URL(provInvite.inviteUrl as string).pathname;
    const provPage = await provincial.get(provPath);
    await provincial.post(provPath, { ...Session.hidden(provPage.text, provPath), password: PASSWORD, confirm: PASSWORD });
    // The lab's and the regulator's workspaces (issue 20): a lab with a person, a plan and a received sample.
    const regulatorKey = (await call(api.url, `/api/v1/organizations/${bureau.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'regulator' })).json.token as string;
    const labOrg = (await call(api.url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, {
      name: '四川省农产品质量安全检测中心（基准）', kind: 'lab', regionCode: '510100', uscc: completeUscc(`12510100${Date.now().toString(36).toUpperCase().slice(-8).replace(/[IOSVZ]/g, '2')}`),
    })).json;
    const labKey = (await call(api.url, `/api/v1/organizations/${labOrg.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'lab' })).json.token as string;
    const labSession = new Session(api.url);
    const labInvite = (await call(api.url, `/api/v1/organizations/${labOrg.id}/console-invites`, BENCH_ADMIN_TOKEN, { loginName: 'bench-lab', displayName: '检测员', role: 'operator' })).json;
    const labPath = new URL(labInvite.inviteUrl as string).pathname;
    const labPage = await labSession.get(labPath);
    await labSession.post(labPath, { ...Session.hidden(labPage.text, labPath), password: PASSWORD, confirm: PASSWORD });
    const plan = (await call(api.url, '/api/v1/sampling/plans', regulatorKey, {
      name: '基准例行监测', stream: 'routine_monitoring', regionCode: '510100', cadence: 'monthly', periodFrom: '2026-01-01', periodTo: '2026-12-31',
      categories: ['水果'], analytes: ['毒死蜱', '克百威'], quotas: [{ county: '510131', category: '水果', count: 2 }], labOrganizationIds: [labOrg.id],
    })).json;
    const sample = (await call(api.url, '/api/v1/sampling/samples', regulatorKey, { batchId, stream: 'supervisory_sampling', labOrganizationId: labOrg.id, analytes: ['毒死蜱', '克百威'] })).json;
    await call(api.url, `/api/v1/sampling/samples/${sample.id}/collect`, regulatorKey, { place: '基地', collectedAt: '2026-11-20T09:30:00+08:00', sampler: '张三' });
    await call(api.url, `/api/v1/sampling/samples/${sample.id}/receive`, labKey, {});
    // The regulator's 地理标志 at its fullest: a page of GI records (15), each with four authorised users.
    const giUsers = [orgId];
    for (let i = 0; i < 3; i++) {
      giUsers.push((await call(api.url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, {
        name: `蒲江县第${i + 2}猕猴桃专业合作社（基准）`, kind: 'cooperative', regionCode: '510131',
        uscc: completeUscc(`93510131${Date.now().toString(36).toUpperCase().slice(-7).replace(/[IOSVZ]/g, '4')}${i}`),
      })).json.id as string);
    }
    const giStamp = Date.now() % 90_000;
    let giId = '';
    for (let i = 0; i < 15; i++) {
      giId = (await call(api.url, '/api/v1/gi', regulatorKey, {
        regime: 'agi', registrationNumber: `AGI${String(giStamp + i).padStart(5, '0')}`, productName: `蒲江猕猴桃${i + 1}号`,
        holderUscc: completeUscc(`12510131${String(giStamp + i).padStart(8, '0')}`), holderName: '蒲江县农业技术推广站', areaCodes: ['510131'], announcedOn: '2012-08-03',
      })).json.id as string;
      for (const user of giUsers) await call(api.url, `/api/v1/gi/${giId}/authorisations`, regulatorKey, { organizationId: user, validFrom: '2026-01-01', yearlyQuota: { value: '50', unit: 't' } });
    }
    const WORKSPACE_PAGES: [string, string, Session][] = [
      ['GI records (regulator)', '/app/gi', regulator], ['GI record (regulator)', `/app/gi/${giId}`, regulator],
      ['lab queue', '/app/lab', labSession], ['lab sample (results form)', `/app/lab/samples/${sample.id}`, labSession], ['lab results CSV', '/app/lab/results-csv', labSession],
      ['sampling (regulator)', '/app/sampling', regulator], ['new plan (regulator)', '/app/sampling/plans/new', regulator],
      ['plan (regulator)', `/app/sampling/plans/${plan.id}`, regulator], ['sample (regulator)', `/app/sampling/samples/${sample.id}`, regulator],
      ['supervision (regulator)', `/app/supervision/batches/${batchId}`, regulator],
      ['shipments', '/app/shipments', session], ['ship', '/app/shipments/new', session], ['mix / split', '/app/shipments/transform', session],
      ['self-test', `/app/batches/${batchId}/tests/new`, session], ['hold / release', `/app/batches/${batchId}/status`, session],
      ['market sampling import (provincial regulator)', '/app/dashboard/market-sampling', provincial], ['dashboard (provincial regulator)', '/app/dashboard', provincial],
    ];
    const PAGES: [string, string, Session][] = [
      ['home', '/app', session], ['products', '/app/products', session], ['sites', '/app/sites', session],
      ['batches', '/app/batches', session], ['new batch', '/app/batches/new', session], ['batch', `/app/batches/${batchId}`, session],
      ['print labels', `/app/batches/${batchId}/print`, session], ['issue certificate', `/app/batches/${batchId}/certificate`, session],
      ['certificates', '/app/certificates', session], ['certificate', `/app/certificates/${cert.id}`, session],
      ['collect', '/app/collect', session], ['users', '/app/users', session], ['dashboard (producer)', '/app/dashboard', session],
      ['dashboard (regulator)', '/app/dashboard', regulator], ['batches (regulator)', '/app/batches', regulator],
      ['batch (regulator)', `/app/batches/${batchId}`, regulator],
      ...WORKSPACE_PAGES,
    ];
    const only = process.env.BENCH_PAGES === 'home-batch' ? PAGES.filter(([n]) => n === 'home' || n === 'batch')
      : process.env.BENCH_PAGES === 'workspaces' ? WORKSPACE_PAGES
      : process.env.BENCH_PAGES === 'gi' ? WORKSPACE_PAGES.filter(([n]) => n.startsWith('GI ')) : PAGES;

    // ---- page weight and time until usable (Chromium, 360 px) ----
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    const pageRows: Record<string, string | number>[] = [];
    try {
      for (const [name, path, who] of only) {
        for (const cache of ['cold', 'warm'] as const) {
          const kb: number[] = [];
          const dcl: number[] = [];
          const load: number[] = [];
          const requests: number[] = [];
          for (let run = 0; run < RUNS; run++) {
            const context = await browser.newContext({ viewport: { width: 360, height: 760 }, locale: 'zh-CN' });
            await context.addCookies([...who.cookies].map(([n, v]) => ({ name: n, value: v, url: api.url })));
            const page = await context.newPage();
            const cdp = await context.newCDPSession(page);
            await cdp.send('Network.enable');
            if (cache === 'warm') await page.goto(`${api.url}${path}`, { waitUntil: 'load' });
            let bytes = 0;
            let count = 0;
            cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => { bytes += e.encodedDataLength; count++; });
            await page.goto(`${api.url}${path}`, { waitUntil: 'load' });
            await page.waitForTimeout(300); // let late iframe resources report
            const t = await page.evaluate(() => {
              const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
              return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd };
            });
            kb.push(bytes / 1024);
            requests.push(count);
            dcl.push(t.dcl);
            load.push(t.load);
            await context.close();
          }
          // Budget (issue 20): ≤ 50 KB transferred and ≤ 500 ms to DOMContentLoaded, cold.
          const within = cache === 'warm' || (median(kb) <= 50 && median(dcl) <= 500);
          pageRows.push({
            page: `${name} ${path.replace(/[0-9a-f-]{36}/g, '{id}')}`, cache, budget: within ? 'ok' : 'OVER', 'KB transferred': median(kb).toFixed(1), requests: median(requests),
            'usable (DOMContentLoaded) ms': median(dcl).toFixed(0), 'load ms': median(load).toFixed(0),
          });
        }
      }
    } finally {
      await browser.close();
    }
    console.log(`\nConsole pages, Chromium 360 px, median of ${RUNS} (batch page includes the consumer-page preview iframe)\n`);
    console.log(table(pageRows));

    if (process.env.BENCH_FLOW === '0') return;
    // ---- create a batch and print 1,000 labels, end to end ----
    const flowRows: Record<string, string | number>[] = [];
    const totals: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const steps: Record<string, number> = {};
      const time = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
        const start = performance.now();
        const result = await work();
        steps[step] = performance.now() - start;
        return result;
      };
      const started = performance.now();
      const form = await time('open form', () => session.get('/app/batches/new'));
      const created = await time('create batch', () => session.post('/app/batches', {
        ...Session.hidden(form.text, '/app/batches'), productId: batch.product.id, siteId: batch.siteId,
        'quantity.value': '1000', 'quantity.unit': 'kg', producedOn: '2026-11-20',
      }));
      const newId = /batches\/([0-9a-f-]{36})/.exec(created.location!)![1];
      await time('batch page', () => session.get(created.location!));
      const printForm = await time('print form', () => session.get(`/app/batches/${newId}/print`));
      const run1 = await time('create run', () => session.post(`/app/batches/${newId}/print-runs`, {
        ...Session.hidden(printForm.text, `/app/batches/${newId}/print-runs`), count: String(LABELS), choice: 'pdf:a4-40',
      }));
      const runPage = await time('run page', () => session.get(run1.location!));
      const download = /href="([^"]+labels\.pdf[^"]*)" data-ready/.exec(runPage.text)![1].replace(/&amp;/g, '&');
      const pdf = await time(`download PDF (${LABELS} labels)`, () => session.get(download));
      if (pdf.status !== 200 || !pdf.text.startsWith('%PDF')) throw new Error(`download answered ${pdf.status}`);
      totals.push(performance.now() - started);
      flowRows.push({ run: run + 1, ...Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, v.toFixed(0)])), 'total ms': (performance.now() - started).toFixed(0), 'PDF KB': (pdf.bytes / 1024).toFixed(0) });
    }
    console.log(`\n"Create a batch and print ${LABELS} labels" over HTTP with a session (ms per step)\n`);
    console.log(table(flowRows));
    console.log(`\nmedian total: ${median(totals).toFixed(0)} ms · best: ${Math.min(...totals).toFixed(0)} ms`);
  });
});
