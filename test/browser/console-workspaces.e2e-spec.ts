import type { Browser, Page } from 'playwright-core';
import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, uniqueUscc } from '../support/factories';
import { launchChromium, logInConsole, qrVideo, screenshotPath } from '../support/browser';
import { consoleUser } from '../support/console';
import { eventually } from '../support/processes';
import { failedSampleWithRecheck } from '../support/sampling';
import { createTestApp, TestApp } from '../support/test-app';

const PASSWORD = '绿源猕猴桃2026春天';
const CERTIFY = { basis: ['quality_control'], evidence: { qualityControl: '按规程生产' }, quantity: { value: '500', unit: 'kg' } };

/**
 * Each role's main flow in the console at 360 px, in one Chromium whose fake camera plays a QR
 * video rewritten before each scan: a lab receives a sample by its label and enters results; a
 * regulator makes a plan, draws a round and recalls a batch; a purchaser receives by camera, mixes
 * and certifies; a cooperative enters a self-test and issues a certificate on it.
 */
describe('console workspaces, one flow per role (Chromium at 360 px, fake camera)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let video: string;
  const stamp = Date.now();
  let coop: Awaited<ReturnType<typeof createOrg>>;
  let bureau: Awaited<ReturnType<typeof createOrg>>;
  let lab: Awaited<ReturnType<typeof createOrg>>;
  let buyer: Awaited<ReturnType<typeof createOrg>>;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: 'http://127.0.0.1' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    coop = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    bureau = await createRegulator(t, '510131');
    lab = await createOrg(t, { name: '四川省农产品质量安全检测中心', kind: 'lab', uscc: uniqueUscc('12', '510131') }, 'lab');
    buyer = await createOrg(t, { name: '成都市果品收购有限公司', kind: 'purchaser' });
    await consoleUser(t, lab.id, `lab-${stamp}`, PASSWORD, 'operator');
    await consoleUser(t, bureau.id, `regulator-${stamp}`, PASSWORD, 'regulator');
    await consoleUser(t, buyer.id, `buyer-${stamp}`, PASSWORD, 'operator');
    await consoleUser(t, coop.id, `coop-${stamp}`, PASSWORD, 'operator');
    video = qrVideo('not yet');
    browser = await launchChromium({ fakeCameraVideo: video });
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  async function logIn(loginName: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 360, height: 760 }, locale: 'zh-CN' });
    await context.grantPermissions(['camera'], { origin: base });
    const page = await context.newPage();
    // Destructive forms ask first; the person says yes.
    page.on('dialog', (dialog) => void dialog.accept());
    return logInConsole(page, base, loginName, PASSWORD);
  }

  const main = (page: Page) => page.locator('main').innerText();

  it('lab: receives a sample by scanning its label, enters results with unit and LOD, and sees the verdict', async () => {
    const batch = await createBatch(t, coop.token);
    const sample = (await t.http().post('/api/v1/sampling/samples').set(auth(bureau.token))
      .send({ batchId: batch.id, stream: 'supervisory_sampling', labOrganizationId: lab.id, analytes: ['毒死蜱'] }).expect(201)).body as { id: string; sampleNo: string };
    await t.http().post(`/api/v1/sampling/samples/${sample.id}/collect`).set(auth(bureau.token))
      .send({ place: '蒲江县西来镇基地', collectedAt: '2026-11-20T09:30:00+08:00', sampler: '张三' }).expect(200);

    qrVideo(sample.sampleNo, video);
    const page = await logIn(`lab-${stamp}`);
    expect(new URL(page.url()).pathname).toBe('/app/lab');
    expect(await main(page)).toContain(sample.sampleNo);
    await page.getByRole('button', { name: '用手机摄像头扫码' }).click();
    await page.waitForURL(`${base}/app/lab/samples/${sample.id}?received=1`, { timeout: 20_000 });
    expect(await main(page)).toContain('样品已接收');

    await page.getByLabel('检测值').fill('0.01');
    await page.getByLabel('检出限（LOD）').fill('0.005');
    await page.getByRole('button', { name: '提交检测结果' }).click();
    await page.waitForURL(`${base}/app/lab/samples/${sample.id}?submitted=1`);
    await eventually(async () => ((await t.http().get(`/api/v1/sampling/samples/${sample.id}`).set(auth(lab.token))).body.status === 'judged' ? true : undefined));
    await page.reload();
    const text = await main(page);
    expect(text).toContain('样品判定');
    expect(text).toMatch(/合格|不合格|无限量标准/);
    expect(text).toContain('0.01 mg/kg');
    await page.screenshot({ path: screenshotPath('console-lab-verdict-360.png'), fullPage: true });
  });

  it('regulator: creates a sampling plan, draws a round, and recalls a batch after confirming', async () => {
    const batch = await createBatch(t, coop.token, { producedOn: '2026-11-02' });
    const page = await logIn(`regulator-${stamp}`);
    await page.goto(`${base}/app/sampling`);
    await page.getByRole('link', { name: '新建抽检计划' }).click();
    await page.getByLabel('计划名称').fill('2026 年蒲江县水果例行监测');
    await page.getByLabel('抽检品种（食品类别）').fill('水果');
    await page.getByLabel('检测项目').fill('毒死蜱、克百威');
    await page.getByLabel('县（区）1').fill('四川省成都市蒲江县');
    await page.locator('input[name="quotas[0].category"]').fill('水果');
    await page.locator('input[name="quotas[0].count"]').fill('1');
    await page.getByLabel('四川省农产品质量安全检测中心').check();
    await page.getByRole('button', { name: '创建计划' }).click();
    await page.waitForURL(/\/app\/sampling\/plans\/[0-9a-f-]{36}\?created=1$/);
    // Changed before the first draw.
    await page.getByRole('link', { name: /修改计划/ }).click();
    await page.getByLabel('计划名称').fill('2026 年蒲江县水果例行监测（修订）');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.waitForURL(/updated=1$/);
    expect(await page.locator('h1').innerText()).toBe('2026 年蒲江县水果例行监测（修订）');
    await page.getByRole('button', { name: '抽取本期样品' }).click();
    await page.waitForURL(/drawn=/);
    const planText = await main(page);
    expect(planText).toMatch(/任务 1 个/);
    expect(planText).toContain('待采样');
    await page.screenshot({ path: screenshotPath('console-regulator-round-360.png'), fullPage: true });

    await page.goto(`${base}/app/batches/${batch.id}`);
    await page.getByRole('link', { name: /监管处置/ }).click();
    await page.locator('form[action$="/recall"]').getByLabel('召回原因').fill('监督抽查：毒死蜱残留超标');
    await page.locator('form[action$="/recall"]').getByLabel('召回级别').selectOption('2');
    await page.screenshot({ path: screenshotPath('console-regulator-supervision-360.png'), fullPage: true });
    await page.getByRole('button', { name: '召回批次' }).click();
    await page.waitForSelector('text=已召回', { timeout: 20_000 });
    expect((await t.http().get(`/api/v1/batches/${batch.id}`).set(auth(coop.token))).body.status).toBe('recalled');
    await page.screenshot({ path: screenshotPath('console-regulator-recalled-360.png'), fullPage: true });

    // A producer asks for a recheck of a failed sample; the regulator refuses it with a reason, after confirming.
    const { recheckId } = await failedSampleWithRecheck(t, { regulator: bureau.token, lab: lab.token, labId: lab.id, producer: coop.token }, (await createBatch(t, coop.token)).id);
    await page.goto(`${base}/app/sampling/samples/${recheckId}`);
    const refuse = page.locator('form[action$="/refuse"]');
    expect(await refuse.getAttribute('data-confirm')).toContain('不予采纳');
    await refuse.getByRole('button', { name: '不予采纳复检' }).click();
    // The reason is required: the form comes back naming it.
    await page.waitForSelector('form[action$="/refuse"] .err');
    await page.locator('form[action$="/refuse"]').getByLabel('理由').fill('留样已过保存期限');
    await page.locator('form[action$="/refuse"]').getByRole('button', { name: '不予采纳复检' }).click();
    await page.waitForURL(/refused=1$/);
    expect(await main(page)).toContain('留样已过保存期限');
    expect((await t.http().get(`/api/v1/sampling/samples/${recheckId}`).set(auth(bureau.token))).body.refusedAt).toEqual(expect.any(String));
    await page.screenshot({ path: screenshotPath('console-regulator-recheck-refused-360.png'), fullPage: true });
  });

  it('purchaser: receives a lot by scanning its trace code, another by typing it, mixes them after the mass balance, and certifies the mix', async () => {
    const product = await createProduct(t, buyer.token, { name: '收购猕猴桃' });
    const site = await createSite(t, buyer.token, { name: '成都冷库' });
    const lots = [];
    for (const value of ['100', '50']) {
      const batch = await createBatch(t, coop.token);
      await t.http().post('/api/v1/certificates').set(auth(coop.token)).send({ batchId: batch.id, ...CERTIFY }).expect(201);
      await t.http().post('/api/v1/shipments').set(auth(coop.token)).send({ batchId: batch.id, toOrganizationId: buyer.id, quantity: { value, unit: 'kg' } }).expect(201);
      lots.push(batch);
    }

    qrVideo(lots[0].traceUrl, video);
    const page = await logIn(`buyer-${stamp}`);
    await page.goto(`${base}/app/shipments`);
    await page.getByRole('button', { name: '用手机摄像头扫码' }).click();
    await page.waitForURL(/\/app\/shipments\/[0-9a-f-]{36}\/receive$/, { timeout: 20_000 });
    expect(await main(page)).toContain('随货合格证');
    await page.getByLabel('入库为本单位产品').selectOption(product.id);
    await page.getByLabel('收货地点（仓库、摊位）').selectOption(site.id);
    await page.getByRole('button', { name: '确认收货' }).click();
    await page.waitForURL(/\/app\/batches\/[0-9a-f-]{36}\?received=1$/);
    expect(await main(page)).toContain('已收货');
    expect(await main(page)).not.toContain('未能登记查验');

    // The second typed as people type a printed code: lower case, in groups.
    await page.goto(`${base}/app/shipments`);
    const typed = lots[1].traceCode.toLowerCase().replace(/(.{4})/g, '$1 ').trim();
    await page.getByLabel('扫描货物上的追溯码或随货合格证').fill(typed);
    await page.getByRole('button', { name: '查找到货' }).click();
    await page.waitForURL(/\/receive$/);
    await page.getByLabel('入库为本单位产品').selectOption(product.id);
    await page.getByLabel('收货地点（仓库、摊位）').selectOption(site.id);
    await page.getByRole('button', { name: '确认收货' }).click();
    await page.waitForURL(/\?received=1$/);

    const inbound = (await t.http().get('/api/v1/shipments?direction=inbound').set(auth(buyer.token))).body.items as { receivedBatchId: string; quantity: { value: string } }[];
    const received = ['100', '50'].map((v) => inbound.find((s) => s.quantity.value === v)!.receivedBatchId);
    await page.goto(`${base}/app/shipments/transform`);
    await page.locator('select[name="inputs[0].batchId"]').selectOption(received[0]);
    await page.locator('input[name="inputs[0].quantity.value"]').fill('100');
    await page.locator('select[name="inputs[1].batchId"]').selectOption(received[1]);
    await page.locator('input[name="inputs[1].quantity.value"]').fill('50');
    await page.locator('select[name="outputs[0].productId"]').selectOption(product.id);
    await page.locator('select[name="outputs[0].siteId"]').selectOption(site.id);
    await page.locator('input[name="outputs[0].quantity.value"]').fill('148');
    await page.getByRole('button', { name: '核对质量平衡' }).click();
    await page.waitForSelector('#h-balance');
    const balance = await page.locator('[aria-labelledby="h-balance"]').innerText();
    expect(balance).toContain('投入合计 150 kg');
    expect(balance).toContain('产出合计 148 kg');
    expect(balance).toContain('损耗 2 kg');
    await page.screenshot({ path: screenshotPath('console-purchaser-balance-360.png'), fullPage: true });
    await page.getByRole('button', { name: '确认提交' }).click();
    await page.waitForURL(/\?transformed=1$/);

    await page.getByRole('link', { name: '开具合格证' }).click();
    for (const box of await page.locator('input[name="upstreamCollectionIds"]').all()) await box.check();
    await page.getByRole('button', { name: '开具合格证' }).click();
    await page.waitForURL(/\/app\/certificates\/[0-9a-f-]{36}\?issued=1$/);
    expect(await main(page)).toContain('合格证已开具');
    await page.screenshot({ path: screenshotPath('console-purchaser-certificate-360.png'), fullPage: true });
  });

  it('cooperative: choosing 自行检测合格 without a self-test names the field; after entering one, the certificate rests on it', async () => {
    const batch = await createBatch(t, coop.token);
    const page = await logIn(`coop-${stamp}`);
    await page.goto(`${base}/app/batches/${batch.id}/certificate`);
    await page.getByRole('checkbox', { name: '质量安全控制符合要求' }).uncheck();
    await page.getByRole('checkbox', { name: '自行检测合格' }).check();
    await page.getByRole('button', { name: '开具合格证' }).click();
    const error = page.locator('.err[data-field="evidence.testRecordIds"]');
    await error.waitFor();
    expect(await error.innerText()).toBeTruthy();
    await page.screenshot({ path: screenshotPath('console-coop-selftest-missing-360.png'), fullPage: true });

    await page.getByRole('link', { name: '录入检测结果' }).click();
    await page.getByLabel('检测项目').first().fill('毒死蜱');
    await page.locator('input[name="results[0].lod"]').fill('0.01');
    await page.getByRole('button', { name: '保存检测记录' }).click();
    await page.waitForURL(`${base}/app/batches/${batch.id}?tested=1`);
    await page.getByRole('link', { name: '开具合格证' }).click();
    await page.getByRole('checkbox', { name: '质量安全控制符合要求' }).uncheck();
    await page.getByRole('checkbox', { name: '自行检测合格' }).check();
    await page.locator('input[name="evidence.testRecordIds"]').first().check();
    await page.getByRole('button', { name: '开具合格证' }).click();
    await page.waitForURL(/\/app\/certificates\/[0-9a-f-]{36}\?issued=1$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const cert = (await t.http().get(`/api/v1/certificates/${id}`).set(auth(coop.token)).expect(200)).body as { basis: string[] };
    expect(cert.basis).toEqual(['self_test']);
    await page.screenshot({ path: screenshotPath('console-coop-selftest-certificate-360.png'), fullPage: true });
  });
});
