import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, uniqueUscc } from './support/factories';
import { consoleUser } from './support/console';
import { eventually } from './support/processes';
import { createTestApp, TestApp } from './support/test-app';

const PASSWORD = '绿源猕猴桃2026春天';
const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';

describe('console flows: large print runs, purchasers', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Runs above 10 labels render as a job, as runs above 1,000 do in production.
    t = await createTestApp({ LABEL_SYNC_MAX: '10' });
  });
  afterAll(() => t.close());

  it('shows a progress bar for a large run and offers the file once the job has rendered it', async () => {
    const org = await createOrg(t);
    const client = await consoleUser(t, org.id, `big-${Date.now()}`, PASSWORD);
    const batch = await createBatch(t, org.token);
    const created = await client.submit(`/app/batches/${batch.id}/print`, `/app/batches/${batch.id}/print-runs`, { count: '200', choice: 'zpl:roll-60x40' });
    expect(created.status).toBe(303);
    const runPath = created.headers.location as string;
    const runId = /print-runs\/([0-9a-f-]{36})/.exec(runPath)![1];
    const first = await client.get(runPath);
    expect(first.text).toMatch(/data-progress-url="\/app\/print-runs\/[0-9a-f-]{36}\/progress\?format=zpl&amp;layout=roll-60x40"/);
    expect(first.text).toContain('<progress');
    const status = await eventually(async () => {
      const res = await t.http().get(`/app/print-runs/${runId}/progress?format=zpl&layout=roll-60x40`)
        .set('Cookie', client.cookieHeader()).set('Accept', 'application/json');
      return res.body.status === 'done' ? (res.body as { progress: number }) : undefined;
    });
    expect(status.progress).toBe(100);
    const file = await client.get(`/app/print-runs/${runId}/labels.zpl?layout=roll-60x40`);
    expect(file.status).toBe(200);
    expect((file.text.match(/\^XA/g) ?? []).length).toBe(200);
    // Polling without a session answers 401 (the page's script then reloads into the login page).
    const anonymous = await t.http().get(`/app/print-runs/${runId}/progress?format=zpl&layout=roll-60x40`).set('Accept', 'application/json');
    expect(anonymous.status).toBe(401);
  });

  it('lets a purchaser collect a certificate by its number, refuse an unknown one, and issue the purchaser certificate of its own batch', async () => {
    const farm = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    const farmBatch = await createBatch(t, farm.token);
    const upstream = (await t.http().post('/api/v1/certificates').set(auth(farm.token))
      .send({ batchId: farmBatch.id, basis: ['quality_control'], evidence: { qualityControl: '按规程生产' }, quantity: { value: '500', unit: 'kg' } })
      .expect(201)).body as { number: string; verifyUrl: string };

    const buyer = await createOrg(t, { name: '成都市果品收购有限公司', kind: 'purchaser' });
    const client = await consoleUser(t, buyer.id, `buyer-${Date.now()}`, PASSWORD);
    const product = await createProduct(t, buyer.token, { name: '混装猕猴桃', category: KIWI });

    const unknown = await client.submit('/app/collect', '/app/collect', { certificate: 'NOT-A-NUMBER-123', productId: product.id, 'quantity.value': '10', 'quantity.unit': 'kg' });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toMatch(/id="err-certificate"[^>]*>查无此合格证/);
    expect(unknown.text).toContain('value="NOT-A-NUMBER-123"');

    // A typed number needs the quantity printed on the certificate (numbers are sequential, anyone can guess one).
    const typed = { certificate: upstream.number, productId: product.id, 'quantity.unit': 'kg' };
    const noProof = await client.submit('/app/collect', '/app/collect', typed);
    expect(noProof.status).toBe(422);
    expect(noProof.text).toMatch(/id="err-certificateQuantity\.value"[^>]*>输入合格证编号时，请填写证上印的数量/);
    const wrongProof = await client.submit('/app/collect', '/app/collect', { ...typed, 'certificateQuantity.value': '50', 'certificateQuantity.unit': 'kg' });
    expect(wrongProof.text).toMatch(/id="err-certificate"[^>]*>查无此合格证/);
    const byNumber = await client.submit('/app/collect', '/app/collect', { ...typed, 'certificateQuantity.value': '500', 'certificateQuantity.unit': 'kg' });
    expect(byNumber.status).toBe(303);

    const ok = await client.submit('/app/collect', '/app/collect', { certificate: upstream.verifyUrl, productId: product.id, 'quantity.value': '200', 'quantity.unit': 'kg', supplierName: '绿源合作社' });
    expect(ok.status).toBe(303);
    const list = await client.get(ok.headers.location as string);
    expect(list.text).toContain('查验通过');
    expect(list.text).toContain(upstream.number);

    const site = await createSite(t, buyer.token);
    const mixed = await createBatch(t, buyer.token, { productId: product.id, siteId: site.id, quantity: { value: '200', unit: 'kg' } });
    const form = await client.get(`/app/batches/${mixed.id}/certificate`);
    expect(form.text).toContain(upstream.number);
    const collectionId = /name="upstreamCollectionIds" value="([0-9a-f-]{36})"/.exec(form.text)![1];
    const none = await client.submit(`/app/batches/${mixed.id}/certificate`, '/app/certificates', {});
    expect(none.status).toBe(422);
    const issued = await client.submit(`/app/batches/${mixed.id}/certificate`, '/app/certificates', { upstreamCollectionIds: collectionId });
    expect(issued.status).toBe(303);
    const cert = await client.get((issued.headers.location as string).split('?')[0]);
    expect(cert.text).toContain('有效');
    expect(cert.text).toContain('成都市果品收购有限公司');
  });

  it('claims a GI on a new batch in 斤 (refused, naming the GI, until the cooperative is authorised), re-issues a voided certificate, holds and releases', async () => {
    const coop = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    const bureau = await createRegulator(t, '510100');
    const client = await consoleUser(t, coop.id, `gi-${Date.now()}`, PASSWORD);
    const product = await createProduct(t, coop.token);
    const site = await createSite(t, coop.token);
    const gi = (await t.http().post('/api/v1/gi').set(auth(bureau.token)).send({
      regime: 'agi', registrationNumber: `AGI${String(Date.now() % 100000).padStart(5, '0')}`, productName: '蒲江猕猴桃', holderUscc: uniqueUscc('12', '510131'),
      holderName: '蒲江县农业技术推广站', areaCodes: ['510131'], specReference: 'AGI2012-02-0001', announcedOn: '2012-08-03',
    }).expect(201)).body as { id: string };
    const form = await client.get('/app/batches/new');
    expect(form.text).toContain(`value="${gi.id}"`);
    expect(form.text).toContain('value="斤"');
    const fields = { productId: product.id, siteId: site.id, 'quantity.value': '300', 'quantity.unit': '斤', producedOn: '2026-10-08', giId: gi.id };
    const refused = await client.submit('/app/batches/new', '/app/batches', fields);
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(/data-field="giId">本单位没有使用该地理标志的授权/);
    await t.http().post(`/api/v1/gi/${gi.id}/authorisations`).set(auth(bureau.token)).send({ organizationId: coop.id, validFrom: '2026-01-01' }).expect(201);
    const created = await client.submit('/app/batches/new', '/app/batches', fields);
    expect(created.status).toBe(303);
    const batchId = /batches\/([0-9a-f-]{36})/.exec(created.headers.location as string)![1];
    const batch = (await t.http().get(`/api/v1/batches/${batchId}`).set(auth(coop.token)).expect(200)).body as { quantity: { value: string; unit: string } };
    expect(batch.quantity).toEqual({ value: '300', unit: '斤' });

    // A voided certificate is issued again from its page; the new one replaces it.
    const issued = await client.submit(`/app/batches/${batchId}/certificate`, '/app/certificates', { basis: 'quality_control', 'evidence.qualityControl': '按规程生产', 'quantity.value': '100', 'quantity.unit': '斤' });
    expect(issued.status).toBe(303);
    const certPath = (issued.headers.location as string).split('?')[0];
    expect((await client.submit(certPath, `${certPath}/void`, { reason: '数量填写错误' })).status).toBe(303);
    expect((await client.get(certPath)).text).toContain(`href="${certPath}/reissue"`);
    const again = await client.submit(`${certPath}/reissue`, `${certPath}/reissue`, { basis: 'quality_control', 'evidence.qualityControl': '按规程生产', 'quantity.value': '90', 'quantity.unit': '斤' });
    expect(again.status).toBe(303);
    const replacement = (await t.http().get(`/api/v1/certificates/${/certificates\/([0-9a-f-]{36})/.exec(again.headers.location as string)![1]}`).set(auth(coop.token)).expect(200)).body;
    expect(replacement).toMatchObject({ replacesId: certPath.split('/').pop(), quantity: { value: '90', unit: '斤' } });

    // Hold needs a reason (named on the field); release puts it back on sale.
    const noReason = await client.submit(`/app/batches/${batchId}/status`, `/app/batches/${batchId}/status`, { status: 'on_hold', reason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('data-field="reason"');
    expect((await client.submit(`/app/batches/${batchId}/status`, `/app/batches/${batchId}/status`, { status: 'on_hold', reason: '自检疑似超标' })).status).toBe(303);
    expect((await client.get(`/app/batches/${batchId}/status`)).text).toContain('解除暂停，恢复销售');
    expect((await client.submit(`/app/batches/${batchId}/status`, `/app/batches/${batchId}/status`, { status: 'active', reason: '复检合格' })).status).toBe(303);
    expect((await t.http().get(`/api/v1/batches/${batchId}`).set(auth(coop.token))).body.status).toBe('active');
  });

  it('records the FSMA 204 key data elements of an export batch from the new-batch form; a bad phone or a harvest after packing is refused on its field', async () => {
    const coop = await createOrg(t, { name: '蒲江县红心猕猴桃出口合作社' });
    const client = await consoleUser(t, coop.id, `kde-${Date.now()}`, PASSWORD);
    const product = await createProduct(t, coop.token);
    const site = await createSite(t, coop.token);
    const coolStore = await createSite(t, coop.token, { name: '寿安镇预冷库' });
    const form = await client.get('/app/batches/new');
    // Folded until used; the cooling site and the lot code's source are chosen among the organisation's sites.
    expect(form.text).toMatch(/<details class="f" id="fsma-kde-fields"><summary>出口追溯信息（FSMA 204 关键数据）<\/summary>/);
    expect(form.text).toMatch(new RegExp(`<select name="coolingSiteId">.*?<option value="${coolStore.id}">寿安镇预冷库`));
    const fields = {
      productId: product.id, siteId: site.id, 'quantity.value': '800', 'quantity.unit': 'kg', producedOn: '2026-10-08', harvestedOn: '2026-10-07',
      variety: '红阳', growingArea: '西来镇 3 号地块', harvesterName: '蒲江县鑫农采收服务队', harvesterPhone: '028-8855 1234',
      cooledAt: '2026-10-08T06:30', coolingSiteId: coolStore.id, tlcSourceSiteId: coolStore.id,
    };

    const badPhone = await client.submit('/app/batches/new', '/app/batches', { ...fields, harvesterPhone: '找老王' });
    expect(badPhone.status).toBe(422);
    expect(badPhone.text).toMatch(/<input name="harvesterPhone" type="tel" value="找老王" aria-invalid="true" aria-describedby="err-harvesterPhone"/);
    expect(badPhone.text).toContain('data-field="harvesterPhone">格式不正确');
    // Shown again open, as typed (the cooling time in the input's own format).
    expect(badPhone.text).toMatch(/<details class="f" id="fsma-kde-fields" open>/);
    expect(badPhone.text).toContain('value="2026-10-08T06:30"');
    const noPhone = await client.submit('/app/batches/new', '/app/batches', { ...fields, harvesterPhone: '' });
    expect(noPhone.status).toBe(422);
    expect(noPhone.text).toContain('data-field="harvesterPhone">须与相关的另一项一并填写');
    const lateHarvest = await client.submit('/app/batches/new', '/app/batches', { ...fields, harvestedOn: '2026-10-09' });
    expect(lateHarvest.status).toBe(422);
    expect(lateHarvest.text).toContain('data-field="harvestedOn">采收日期不能晚于生产日期');
    expect((await t.http().get('/api/v1/batches').set(auth(coop.token)).expect(200)).body.items).toEqual([]);

    const created = await client.submit('/app/batches/new', '/app/batches', fields);
    expect(created.status).toBe(303);
    const batchId = /batches\/([0-9a-f-]{36})/.exec(created.headers.location as string)![1];
    const batch = (await t.http().get(`/api/v1/batches/${batchId}`).set(auth(coop.token)).expect(200)).body;
    expect(batch).toMatchObject({
      harvestedOn: '2026-10-07', variety: '红阳', growingArea: '西来镇 3 号地块', harvesterName: '蒲江县鑫农采收服务队', harvesterPhone: '028-8855 1234',
      cooledAt: '2026-10-07T22:30:00.000Z', coolingSiteId: coolStore.id, tlcSourceSiteId: coolStore.id,
    });
    const page = (await client.get(`/app/batches/${batchId}`)).text;
    const kdes = /<section class="card" id="fsma-kdes">.*?<\/section>/s.exec(page)![0];
    for (const text of ['2026-10-07', '红阳', '西来镇 3 号地块', '蒲江县鑫农采收服务队 · 028-8855 1234', '2026-10-08 06:30 · 寿安镇预冷库', '2026-10-08']) expect(kdes).toContain(text);
    expect(kdes).toMatch(/批号赋予地点<\/span> 寿安镇预冷库/);
  });

  it('takes a lab\'s CSV of results and lists the problems row by row, keeping the good samples', async () => {
    const coop = await createOrg(t);
    const bureau = await createRegulator(t, '510100');
    const lab = await createOrg(t, { name: '检测中心', kind: 'lab', uscc: uniqueUscc('12', '510131') }, 'lab');
    const client = await consoleUser(t, lab.id, `lab-${Date.now()}`, PASSWORD, 'operator');
    const batch = await createBatch(t, coop.token);
    const numbers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const s = (await t.http().post('/api/v1/sampling/samples').set(auth(bureau.token)).send({ batchId: batch.id, stream: 'routine_monitoring', labOrganizationId: lab.id, analytes: ['毒死蜱'] }).expect(201)).body;
      await t.http().post(`/api/v1/sampling/samples/${s.id}/collect`).set(auth(bureau.token)).send({ place: '基地', collectedAt: '2026-11-20T09:30:00+08:00', sampler: '张三' }).expect(200);
      // The second is received by its typed number, spaced as people read it.
      if (i === 0) await t.http().post(`/api/v1/sampling/samples/${s.id}/receive`).set(auth(lab.token)).expect(200);
      else expect((await client.submit('/app/lab', '/app/lab/receive', { code: (s.sampleNo as string).replace(/(\d{4})/g, '$1 ') })).status).toBe(303);
      numbers.push(s.sampleNo);
    }
    const csv = `sample_no,analyte,value,unit,lod,loq,detected,method\n${numbers[0]},毒死蜱,0.01,mg/kg,0.005,,,GB 23200.113-2018\n${numbers[1]},毒死蜱,0.01,mg/L,0.005,,,\n`;
    const res = await client.submit('/app/lab/results-csv', '/app/lab/results-csv', { csv });
    expect(res.status).toBe(422);
    expect(res.text).toContain('接收 1 个样品');
    expect(res.text).toMatch(/<td>3<\/td><td>unit<\/td><td>UNIT_NOT_CONVERTIBLE/);
  });
});
