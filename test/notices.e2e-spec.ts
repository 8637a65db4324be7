import { DataSource } from 'typeorm';
import { auth, createBatch, createOrg, createRegulator, OrgWithKey, uniqueUscc } from './support/factories';
import { eventually } from './support/processes';
import { createTestApp, TestApp } from './support/test-app';

const COLLECT = { place: '蒲江县西来镇基地', collectedAt: '2026-11-20T09:30:00+08:00', sampler: '张三' };

/** /notices/{regionCode}: failed samples (after the recheck window), recalls and disposals in plain Chinese. */
describe('public notices', () => {
  let t: TestApp;
  let regulator: OrgWithKey;
  let lab: OrgWithKey;
  let producer: OrgWithKey;

  async function failedSample(batchId: string) {
    const created = await t.http().post('/api/v1/sampling/samples').set(auth(regulator.token))
      .send({ batchId, stream: 'supervisory_sampling', labOrganizationId: lab.id, analytes: ['溴氰菊酯'] }).expect(201);
    const id = created.body.id as string;
    await t.http().post(`/api/v1/sampling/samples/${id}/collect`).set(auth(regulator.token)).send(COLLECT).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${id}/receive`).set(auth(lab.token)).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${id}/results`).set(auth(lab.token)).send({ results: [{ analyte: '溴氰菊酯', value: '0.2', unit: 'mg/kg' }] }).expect(202);
    await eventually(async () => {
      const b = await t.http().get(`/api/v1/batches/${batchId}`).set(auth(producer.token));
      return b.body.status === 'on_hold' ? true : undefined;
    });
    return created.body as { id: string; sampleNo: string };
  }

  beforeAll(async () => {
    t = await createTestApp();
    regulator = await createRegulator(t, '510131');
    lab = await createOrg(t, { name: '检测中心', kind: 'lab', uscc: uniqueUscc('12', '510131') }, 'lab');
    producer = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
  });
  afterAll(() => t.close());

  it('names a failed sample only once its recheck window has closed', async () => {
    const batch = await createBatch(t, producer.token);
    const sample = await failedSample(batch.id);
    const early = await t.http().get('/notices/510131?period=2026').expect(200);
    expect(early.text).not.toContain(`sample-${sample.sampleNo}`);
    // The verdict is from 10 days ago: past the 7-day recheck window.
    await t.app.get(DataSource).query("UPDATE samples SET judged_on = judged_on - 10 WHERE id = $1", [sample.id]);
    const late = await t.http().get('/notices/510131?period=2026').expect(200);
    expect(late.headers['content-type']).toContain('text/html');
    expect(late.text).toContain(`sample-${sample.sampleNo}`);
    expect(late.text).toMatch(/蒲江县绿源猕猴桃专业合作社的猕猴桃在监督抽查中检测不合格/);
    // the city and the province list it too; a neighbouring county does not
    expect((await t.http().get('/notices/510100?period=2026').expect(200)).text).toContain(`sample-${sample.sampleNo}`);
    expect((await t.http().get('/notices/510000?period=2026').expect(200)).text).toContain(`sample-${sample.sampleNo}`);
    expect((await t.http().get('/notices/510121?period=2026').expect(200)).text).not.toContain(`sample-${sample.sampleNo}`);
  });

  it('lists recalls and disposals in plain Chinese, escaped, and the recalled lot\'s scan page links to its notice', async () => {
    const batch = await createBatch(t, producer.token);
    await failedSample(batch.id);
    await t.http().post('/api/v1/disposals').set(auth(regulator.token)).send({
      batchId: batch.id, method: 'destroy', quantity: { value: '1200.5', unit: 'kg' }, disposedOn: '2026-11-25', witness: '蒲江县农业农村局 李四',
    }).expect(201);
    const recall = await t.http().post('/api/v1/recalls').set(auth(producer.token))
      .send({ batchId: batch.id, reason: '抽检不合格 <script>alert(1)</script>', grade: 1, discoveredAt: '2026-11-20T10:00:00+08:00' }).expect(201);
    const month = new Date(Date.parse(recall.body.createdAt) + 8 * 3_600_000).toISOString().slice(0, 7);

    const page = await t.http().get(`/notices/510131?period=${month}`).expect(200);
    expect(page.text).toContain(`id="recall-${recall.body.id}"`);
    expect(page.text).toContain('（一级召回），涉及1个批次');
    expect(page.text).toContain('应于2026年12月4日前完成。');
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toContain('&lt;script>alert(1)&lt;/script>');
    const november = await t.http().get('/notices/510131?period=2026-11').expect(200);
    expect(november.text).toContain('2026年11月25日，蒲江县绿源猕猴桃专业合作社的蒲江猕猴桃1200.5kg已销毁，见证人：蒲江县农业农村局 李四。');

    const scan = await t.http().get(`/t/${batch.traceCode}`).expect(200);
    expect(scan.text).toContain(`/notices/510131?period=${month}#recall-${recall.body.id}`);
    const json = await t.http().get(`/api/v1/scan/${batch.traceCode}`).expect(200);
    expect(json.body.recallNotice).toEqual({ text: '查看召回公告', href: `/notices/510131?period=${month}#recall-${recall.body.id}` });
  });

  it('answers an unknown region or period with a friendly 404 page', async () => {
    for (const path of ['/notices/999999', '/notices/5101', '/notices/abc', '/notices/510131?period=2026-13', '/notices/510131?period=%3Cscript%3E']) {
      const res = await t.http().get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toContain('未找到该地区的公示信息');
    }
    const empty = await t.http().get('/notices/513300?period=2026-Q4').expect(200);
    expect(empty.text).toContain('本期没有产品召回');
    expect(empty.text).toContain('2026年第四季度');
  });
});
