import { auth, createBatch, createOrg, createRegulator, uniqueUscc } from './support/factories';
import { ConsoleClient, consoleUser } from './support/console';
import { failedSampleWithRecheck } from './support/sampling';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

/*
 * Navigation follows the role: walk every console page any role can reach, as each role, and
 * submit every form a page shows. A form shown must be one the person may submit: never a 403,
 * never a 200 that carries an error (refusals of the input itself answer 4xx naming the field).
 */

const PASSWORD = '绿源猕猴桃2026春天';
/** Links the walk does not follow: files, exports and the consumer pages. */
const NOT_PAGES = /\/static\/|\.pdf|\.zpl|\.tspl|\/export\/|\/progress/;
/** Forms that end the session; they are open to every signed-in person anyway. */
const SESSION_FORMS = new Set(['/app/logout', '/app/logout-everywhere']);

function unescape(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

function links(html: string): string[] {
  return [...html.matchAll(/href="(\/app[^"]*)"/g)].map((m) => unescape(m[1])).filter((href) => !NOT_PAGES.test(href));
}

interface ShownForm {
  action: string;
  fields: Record<string, string | string[]>;
}

/** The POST forms of a page, filled the way a person who changes nothing would send them. */
function postForms(html: string): ShownForm[] {
  const out: ShownForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    if (!/method="post"/.test(m[1])) continue;
    const action = unescape(/action="([^"]*)"/.exec(m[1])?.[1] ?? '');
    const fields: Record<string, string | string[]> = { ...ConsoleClient.hidden(m[0], action) };
    for (const [tag] of m[2].matchAll(/<input\b[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(tag)?.[1];
      const type = /type="([^"]*)"/.exec(tag)?.[1] ?? 'text';
      if (!name || type === 'hidden' || ((type === 'checkbox' || type === 'radio') && !/\schecked/.test(tag))) continue;
      fields[name] = unescape(/value="([^"]*)"/.exec(tag)?.[1] ?? '');
    }
    for (const s of m[2].matchAll(/<select\b[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const options = [...s[2].matchAll(/<option\b[^>]*value="([^"]*)"([^>]*)>/g)];
      const chosen = options.find((o) => /selected/.test(o[2])) ?? options[0];
      if (chosen) fields[s[1]] = unescape(chosen[1]);
    }
    out.push({ action, fields });
  }
  return out;
}

interface Person {
  name: string;
  client: ConsoleClient;
}

/** Every page a person reaches from their landing page by following links (200 each). */
async function walk(p: Person, max = 100): Promise<Map<string, string>> {
  const start = await p.client.get('/app');
  const queue = [start.status === 303 ? (start.headers.location as string) : '/app'];
  const pages = new Map<string, string>();
  const seen = new Set(queue);
  while (queue.length && pages.size < max) {
    const path = queue.shift()!;
    const res = await p.client.get(path);
    // A link shown is a page the person may open.
    expect({ who: p.name, path, status: res.status }).toEqual({ who: p.name, path, status: 200 });
    if (!/text\/html/.test(String(res.headers['content-type']))) continue;
    pages.set(path, res.text);
    for (const href of links(res.text)) {
      if (!seen.has(href)) {
        seen.add(href);
        queue.push(href);
      }
    }
  }
  return pages;
}

describe('console: navigation and forms follow the role', () => {
  let t: TestApp;
  const people: Person[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const coop = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社', gs1CompanyPrefix: '6909876' });
    const buyer = await createOrg(t, { name: '成都市果品收购有限公司', kind: 'purchaser' });
    const lab = await createOrg(t, { name: '四川省农产品质量检测中心', kind: 'lab' }, 'lab');
    const bureau = await createRegulator(t, '510100');
    // Something on every page: batches, a certificate, a print run; a purchaser's own batch.
    const batch = await createBatch(t, coop.token);
    await t.http().post('/api/v1/certificates').set(auth(coop.token))
      .send({ batchId: batch.id, basis: ['quality_control'], evidence: { qualityControl: '按规程生产' }, quantity: { value: '500', unit: 'kg' } })
      .expect(201);
    await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(coop.token)).send({ count: 3 }).expect(201);
    await createBatch(t, buyer.token);
    // A logistic unit with a lot packed on it: its page shows the pack and ship forms and the label.
    const [sscc] = (await t.http().post('/api/v1/ssccs').set(auth(coop.token)).send({}).expect(201)).body.ssccs as string[];
    await t.http().post(`/api/v1/ssccs/${sscc}/contents`).set(auth(coop.token)).send({ lots: [{ batchId: batch.id, quantity: { value: '10', unit: 'kg' } }] }).expect(201);
    // The lab's queue and the regulator's sampling: a plan, a targeted sample collected and on its way to the lab.
    const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';
    await t.http().post('/api/v1/sampling/plans').set(auth(bureau.token)).send({
      name: '2026 猕猴桃例行监测', stream: 'routine_monitoring', regionCode: '510131', cadence: 'quarterly', periodFrom: '2026-01-01', periodTo: '2026-12-31',
      categories: [KIWI], analytes: ['毒死蜱'], quotas: [{ county: '510131', category: KIWI, count: 1 }], labOrganizationIds: [lab.id],
    }).expect(201);
    const sample = await t.http().post('/api/v1/sampling/samples').set(auth(bureau.token))
      .send({ batchId: batch.id, stream: 'supervisory_sampling', labOrganizationId: lab.id, analytes: ['毒死蜱'] }).expect(201);
    await t.http().post(`/api/v1/sampling/samples/${sample.body.id}/collect`).set(auth(bureau.token))
      .send({ place: '蒲江县西来镇基地', collectedAt: '2026-11-20T09:30:00+08:00', sampler: '张三' }).expect(200);
    // A failed sample whose producer asked for a recheck: the regulator's sample page offers to refuse it.
    await failedSampleWithRecheck(t, { regulator: bureau.token, lab: lab.token, labId: lab.id, producer: coop.token }, (await createBatch(t, coop.token)).id);
    // Something arriving at the purchaser: a lot, and a logistic unit (its receive-by-SSCC page shows the receipt form).
    await t.http().post('/api/v1/shipments').set(auth(coop.token)).send({ batchId: batch.id, toOrganizationId: buyer.id, quantity: { value: '100', unit: 'kg' } }).expect(201);
    const [shippedUnit] = (await t.http().post('/api/v1/ssccs').set(auth(coop.token)).send({}).expect(201)).body.ssccs as string[];
    await t.http().post(`/api/v1/ssccs/${shippedUnit}/contents`).set(auth(coop.token)).send({ lots: [{ batchId: batch.id, quantity: { value: '10', unit: 'kg' } }] }).expect(201);
    await t.http().post(`/api/v1/ssccs/${shippedUnit}/shipment`).set(auth(coop.token)).send({ toOrganizationId: buyer.id }).expect(201);
    // A listing of the cooperative's batch; a market with a seller, a stall and an entry refused at its gate.
    await t.http().post('/api/v1/listings').set(auth(coop.token))
      .send({ platform: 'douyin', platformRef: 'https://haohuo.jinritemai.com/views/product/item2?id=36123', productId: batch.product.id, batchIds: [batch.id] }).expect(201);
    const market = await createOrg(t, { name: '成都蒙阳农产品批发市场', kind: 'market', uscc: uniqueUscc('91', '510104'), regionCode: '510104' });
    const seller = (await t.http().post('/api/v1/market-sellers').set(auth(market.token))
      .send({ name: '张三', kind: 'business', uscc: uniqueUscc('92', '510104'), vehiclePlates: ['川A12345'] }).expect(201)).body as { id: string };
    await t.http().post('/api/v1/market-stalls').set(auth(market.token)).send({ number: 'A-12', sellerId: seller.id }).expect(201);
    await t.http().post('/api/v1/market-entries').set(auth(market.token)).send({ sellerId: seller.id, items: [
      { traceCode: batch.traceCode, category: '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃', quantity: { value: '30', unit: 'kg' }, rapidTest: { analyte: '毒死蜱', result: 'fail' } },
    ] }).expect(422);
    // A consumer report on the cooperative's batch: its reply form and the regulator's triage form.
    await t.http().post('/api/v1/consumer-reports').send({ code: batch.traceCode, category: 'quality', text: '猕猴桃有异味，已经变质' }).expect(201);
    // A farm record on the batch's site: the 农事 page shows its harvest outlook, the record's void form and a record form.
    const input = (await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN)).send({
      kind: 'pesticide', name: '2.5%溴氰菊酯乳油', registrationNumber: 'PD20080005', activeIngredients: [{ analyte: '溴氰菊酯' }],
      cropRules: [{ category: '水果', intervalDays: 14 }], verified: false, source: '示例',
    }).expect(201)).body as { id: string };
    await t.http().post('/api/v1/input-applications').set(auth(coop.token)).send({
      siteId: (batch as unknown as { siteId: string }).siteId, inputId: input.id, crop: '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃',
      appliedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(), dose: { value: '100', unit: 'mL' }, area: { value: '5', unit: '亩' }, target: '蚜虫', operator: '王建国',
    }).expect(201);
    // A quality mark claimed on a batch, and a refused claim: the regulator's 质量标志 page lists both (and links the batch).
    const coopUscc = (await t.http().get(`/api/v1/organizations/${coop.id}`).set(auth(ADMIN_TOKEN)).expect(200)).body.uscc as string;
    const mark = (await t.http().post('/api/v1/marks').set(auth(bureau.token)).send({
      scheme: 'green_food', number: 'LB-15-2501510001A', holderUscc: coopUscc, productIds: [batch.product.id], validFrom: '2025-03-01', validTo: '2028-02-29',
    }).expect(201)).body as { id: string };
    const marked = await createBatch(t, coop.token, { productId: batch.product.id, marks: [{ markId: mark.id }] }) as unknown as { siteId: string };
    await t.http().post('/api/v1/batches').set(auth(coop.token)).send({
      productId: batch.product.id, siteId: marked.siteId, quantity: { value: '10', unit: 'kg' }, producedOn: '2024-10-08', marks: [{ markId: mark.id }],
    }).expect(422);
    // A GI of the regulator's region with an authorised user: the 地理标志 page and the record's page show every GI form.
    const giRecord = (await t.http().post('/api/v1/gi').set(auth(bureau.token)).send({
      regime: 'agi', registrationNumber: 'AGI01234', productName: '蒲江猕猴桃', holderUscc: uniqueUscc('12', '510131'), areaCodes: ['510131'],
    }).expect(201)).body as { id: string };
    await t.http().post(`/api/v1/gi/${giRecord.id}/authorisations`).set(auth(bureau.token))
      .send({ organizationId: coop.id, validFrom: '2026-01-01', yearlyQuota: { value: '5', unit: 't' } }).expect(201);
    const stamp = Date.now();
    const invite = async (name: string, orgId: string, role: string) =>
      people.push({ name, client: await consoleUser(t, orgId, `${name}-${stamp}`, PASSWORD, role) });
    await invite('coop-admin', coop.id, 'org_admin');
    await invite('coop-operator', coop.id, 'operator');
    await invite('buyer-admin', buyer.id, 'org_admin');
    await invite('buyer-operator', buyer.id, 'operator');
    await invite('lab-operator', lab.id, 'operator');
    await invite('market-admin', market.id, 'org_admin');
    await invite('market-operator', market.id, 'operator');
    await invite('regulator', bureau.id, 'regulator');
  });
  afterAll(() => t.close());

  it('shows every role only pages it may open, and only forms it may submit', async () => {
    const reached = new Map<string, Map<string, string>>();
    // Walks only read: the people walk at the same time (the app serves them as it would serve them).
    const walks = await Promise.all(people.map((p) => walk(p)));
    people.forEach((p, i) => reached.set(p.name, walks[i]));
    const submittedBy = new Map<string, Set<string>>();
    const everyPage = new Set([...reached.values()].flatMap((pages) => [...pages.keys()]));

    for (const p of people) {
      const own = reached.get(p.name)!;
      // Pages of other roles: not shown (sent to their own workspace) or not found (another organisation's).
      const others = [...everyPage].filter((path) => !own.has(path));
      for (let i = 0; i < others.length; i += 8) {
        const answers = await Promise.all(others.slice(i, i + 8).map(async (path) => ({ path, res: await p.client.get(path) })));
        for (const { path, res } of answers) {
          if (res.status === 200) own.set(path, res.text);
          else expect({ who: p.name, path, status: [303, 404].includes(res.status) }).toEqual({ who: p.name, path, status: true });
        }
      }
      // Every form shown, submitted once per action as the page fills it.
      const submitted = new Set<string>();
      submittedBy.set(p.name, submitted);
      for (const [path, html] of own) {
        for (const form of postForms(html)) {
          if (SESSION_FORMS.has(form.action) || submitted.has(form.action)) continue;
          submitted.add(form.action);
          const res = await p.client.post(form.action, form.fields, path);
          const refusedAsOk = res.status === 200 && /class="err|role="alert"/.test(res.text);
          // A refusal for the role, whatever its status (a form shown it once answered 422 with this).
          const forbiddenOrBroken = res.status === 403 || res.status >= 500 || res.text.includes('没有这项操作的权限');
          expect({ who: p.name, action: form.action, status: res.status, refusedAsOk, forbiddenOrBroken })
            .toEqual({ who: p.name, action: form.action, status: res.status, refusedAsOk: false, forbiddenOrBroken: false });
        }
      }
    }

    // The walk did reach the forms (ids in actions generalised).
    const actions = (name: string) => [...submittedBy.get(name)!].map((a) => a.replace(/[0-9a-f-]{36}/g, ':id')).sort();
    expect(actions('coop-admin')).toEqual(expect.arrayContaining([
      '/app/api-keys', '/app/batches', '/app/batches/:id/print-runs', '/app/certificates', '/app/certificates/:id/void', '/app/collect',
      '/app/products', '/app/products/:id', '/app/sites', '/app/sites/:id', '/app/users/invite',
      '/app/farm/sites/:id/applications', '/app/farm/applications/:id/void', '/app/mark-records',
    ]));
    expect(actions('regulator')).toEqual(expect.arrayContaining([
      '/app/sampling/plans', '/app/sampling/plans/:id/rounds', '/app/supervision/batches/:id/hold', '/app/supervision/batches/:id/recall',
      '/app/supervision/batches/:id/samples', '/app/supervision/certificates/:id/void', '/app/sampling/samples/:id/refuse',
    ]));
    expect(actions('buyer-operator')).toEqual(expect.arrayContaining([
      '/app/shipments', '/app/shipments/:id/receipt', '/app/shipments/scan', '/app/shipments/transform',
    ]));
    // Logistic units (SSCC) for producers and traders: allocate, pack, ship (ids and SSCCs generalised).
    const units = (name: string) => [...submittedBy.get(name)!].filter((a) => a.startsWith('/app/shipments/units')).map((a) => a.replace(/\/\d{18}\//, '/:sscc/')).sort();
    expect(units('coop-operator')).toEqual(['/app/shipments/units', '/app/shipments/units/:sscc/contents', '/app/shipments/units/:sscc/shipment']);
    expect(units('regulator')).toEqual([]);
    // Receiving a unit by its SSCC: its receiver only (the unit was shipped to the purchaser).
    const receipts = (name: string) => [...submittedBy.get(name)!].filter((a) => a.startsWith('/app/shipments/receive/')).map((a) => a.replace(/\/\d{18}$/, '/:sscc'));
    expect(receipts('buyer-operator')).toEqual(['/app/shipments/receive/:sscc']);
    expect(receipts('buyer-admin')).toEqual(['/app/shipments/receive/:sscc']);
    for (const other of ['coop-operator', 'market-operator', 'regulator']) expect(receipts(other)).toEqual([]);
    // The FSMA 204 sheet: producers and traders from shipments, regulators from the dashboard.
    expect([...reached.get('coop-operator')!.keys()]).toContain('/app/shipments/fsma204');
    expect([...reached.get('buyer-operator')!.keys()]).toContain('/app/shipments/units');
    expect([...reached.get('regulator')!.keys()].some((path) => path.startsWith('/app/dashboard/fsma204'))).toBe(true);
    expect(actions('lab-operator')).toEqual(expect.arrayContaining(['/app/lab/receive', '/app/lab/results-csv', '/app/lab/samples/:id/receive']));
    expect(actions('coop-operator')).toEqual(expect.arrayContaining(['/app/listings', '/app/listings/:id/batches', '/app/listings/:id/sessions']));
    expect(actions('market-operator')).toEqual(expect.arrayContaining([
      '/app/gate', '/app/gate/entries/:id/items/:id/disposal', '/app/sellers', '/app/sellers/:id/stop', '/app/stalls',
    ]));
    expect(actions('regulator')).toEqual(expect.arrayContaining(['/app/inspections', '/app/reports/:id/triage']));
    expect(actions('regulator')).toEqual(expect.arrayContaining(['/app/gi', '/app/gi/:id/authorisations', '/app/gi/:id/authorisations/:id/revoke', '/app/gi/:id/revoke']));
    expect(actions('coop-operator')).toEqual(expect.arrayContaining(['/app/reports/:id/reply']));
    expect(actions('coop-operator')).not.toContain('/app/reports/:id/triage');
    expect(actions('coop-operator')).toEqual(expect.arrayContaining(['/app/farm/sites/:id/applications', '/app/farm/applications/:id/void']));

    // What each role's navigation offers.
    const nav = (name: string) => [...(reached.get(name)!.values().next().value as string).matchAll(/<nav>([\s\S]*?)<\/nav>/g)][0][1];
    expect(nav('regulator')).toContain('href="/app/dashboard"');
    expect(nav('regulator')).toContain('href="/app/reports"');
    expect(nav('buyer-operator')).toContain('href="/app/reports"');
    expect(nav('regulator')).not.toContain('href="/app/products"');
    expect(nav('coop-operator')).toContain('href="/app/products"');
    expect(nav('coop-operator')).not.toContain('href="/app/users"');
    expect(nav('coop-admin')).toContain('href="/app/users"');
    expect(nav('lab-operator')).not.toContain('href="/app/batches"');
    expect(nav('lab-operator')).toContain('href="/app/lab"');
    expect(nav('regulator')).toContain('href="/app/sampling"');
    expect(nav('coop-operator')).not.toContain('href="/app/sampling"');
    // A market lands on its gate; the gate and seller files are nobody else's.
    expect(nav('market-operator')).toContain('href="/app/gate"');
    expect(nav('market-operator')).toContain('href="/app/sellers"');
    for (const other of ['coop-admin', 'buyer-admin', 'lab-operator', 'regulator']) expect(nav(other)).not.toMatch(/href="\/app\/(gate|sellers)"/);
    expect(nav('coop-operator')).toContain('href="/app/listings"');
    expect(nav('regulator')).not.toContain('href="/app/listings"');
    expect(nav('coop-operator')).toContain('href="/app/farm"');
    expect(nav('regulator')).not.toContain('href="/app/farm"');
    expect(nav('regulator')).toContain('href="/app/marks"');
    expect(nav('coop-operator')).toContain('href="/app/mark-records"');
    expect(nav('regulator')).not.toContain('href="/app/mark-records"');
    expect(actions('coop-operator')).not.toContain('/app/mark-records');
    for (const other of ['coop-admin', 'buyer-operator', 'lab-operator', 'market-admin']) expect(nav(other)).not.toMatch(/href="\/app\/(marks|gi)"/);
    expect(nav('regulator')).toContain('href="/app/gi"');
    expect(nav('lab-operator')).not.toContain('href="/app/farm"');
    // The regulator reads its region's batches, with no way to create or label one.
    const regulatorPages = [...reached.get('regulator')!.keys()];
    expect(regulatorPages.some((path) => /^\/app\/batches\/[0-9a-f-]{36}$/.test(path))).toBe(true);
    expect(regulatorPages).toEqual(expect.arrayContaining(['/app/marks', '/app/marks?scheme=green_food', '/app/marks?days=30']));
    expect(reached.get('regulator')!.get('/app/marks')).toContain('LB-15-2501510001A');
    // The producer's recheck request is on the regulator's to-do before the lab has a result.
    expect(reached.get('regulator')!.get('/app/sampling')).toContain('待处理的复检（1）');
    expect(regulatorPages.filter((path) => /^\/app\/(batches\/new|batches\/.*\/(print|certificate)|print-runs|certificates)/.test(path))).toEqual([]);
  });

  it('refuses a workspace that is not the person\'s: a page sends them home, a form post is 403', async () => {
    const regulator = people.find((p) => p.name === 'regulator')!.client;
    const page = await regulator.get('/app/batches/new');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/app/dashboard');
    const dashboard = await regulator.get('/app/dashboard');
    const csrf = ConsoleClient.hidden(dashboard.text, '/app/logout')._csrf;
    const post = await regulator.post('/app/sites', { _csrf: csrf, name: '监管员的基地', regionCode: '510131' });
    expect(post.status).toBe(403);
    const lab = people.find((p) => p.name === 'lab-operator')!.client;
    expect((await lab.get('/app/products')).headers.location).toBe('/app/lab');
    expect((await lab.get('/app/sampling')).headers.location).toBe('/app/lab');
    expect((await regulator.get('/app/lab')).headers.location).toBe('/app/dashboard');
  });
});
