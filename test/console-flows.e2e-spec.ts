import { auth, createBatch, createOrg, createProduct, createSite } from './support/factories';
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
});
