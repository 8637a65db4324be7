import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { ConsumerReportsService } from '../src/modules/consumer-reports';
import { auth, createBatch, createOrg, createRegulator, OrgWithKey } from './support/factories';
import { ConsoleClient, consoleUser } from './support/console';
import { eventually } from './support/processes';
import { createTestApp, TestApp } from './support/test-app';

/** A phone photo as cameras write it: EXIF with the maker and a GPS position (成都). */
async function photoWithGps(): Promise<string> {
  const bytes = await sharp({ create: { width: 900, height: 700, channels: 3, background: { r: 160, g: 120, b: 40 } } }).jpeg()
    .withExif({ IFD0: { Make: 'TestPhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 39/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '104/1 4/1 0/1' } })
    .toBuffer();
  expect((await sharp(bytes).metadata()).exif?.includes('TestPhone')).toBe(true);
  return bytes.toString('base64');
}

/** 问题反馈: consumers report a problem from the scan page; producers reply, regulators triage. */
describe('consumer reports', () => {
  let t: TestApp;
  let producer: OrgWithKey;
  let stranger: OrgWithKey;
  let regulator: OrgWithKey;
  let farRegulator: OrgWithKey;
  let batch: { id: string; traceCode: string };
  let ipSeq = 0;
  /** Each caller its own address (TRUST_PROXY): the per-client limit and the distinct clients are per test. */
  const client = (ua = 'Mozilla/5.0 (Linux; Android 14) test') => ({ 'x-forwarded-for': `203.0.${113 + (ipSeq >> 8)}.${++ipSeq % 256}`, 'user-agent': ua });
  const report = (fields: Record<string, unknown> = {}, headers: Record<string, string> = client()) =>
    t.http().post('/api/v1/consumer-reports').set(headers).send({ code: batch.traceCode, category: 'quality', text: '猕猴桃有异味，已经变质', ...fields });

  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true', CONSUMER_REPORT_RATE_LIMIT_MAX: '4', CONSUMER_REPORT_ALERT_CLIENTS: '3', CONSUMER_REPORT_RETENTION_DAYS: '30' });
    producer = await createOrg(t);
    stranger = await createOrg(t, { name: '别的合作社' });
    regulator = await createRegulator(t, '510131');
    farRegulator = await createRegulator(t, '511702');
    batch = await createBatch(t, producer.token);
  });
  afterAll(() => t.close());

  it('links 问题反馈 from the scan page to a form with the consent text; unknown codes are 404', async () => {
    const scan = await t.http().get(`/t/${batch.traceCode}`).expect(200);
    expect(scan.text).toContain('问题反馈');
    expect(scan.text).toContain(`href="/t/${batch.traceCode}/feedback"`);
    const form = await t.http().get(`/t/${batch.traceCode}/feedback`).expect(200);
    expect(form.text).toContain('蒲江猕猴桃');
    expect(form.text).toContain('30 天后自动删除');
    expect(form.text).toContain('src="/t/-/feedback.js"');
    expect(form.headers['content-security-policy']).toContain("script-src 'self'");
    const script = await t.http().get('/t/-/feedback.js').expect(200);
    expect(script.headers['content-type']).toContain('javascript');
    await t.http().get('/t/AAAAAAAAAAAAA/feedback').expect(404);
    const consent = await t.http().get('/api/v1/consumer-reports/consent').expect(200);
    expect(consent.body).toEqual({ text: expect.stringContaining('30 天后自动删除'), retentionDays: 30 });
  });

  it('takes a report with a photo (stored without EXIF/GPS) and a consented phone, keeps no IP, routes it to producer and regulator', async () => {
    const created = await report({ photos: [{ contentType: 'image/jpeg', data: await photoWithGps() }], phone: '138 0013 8000', phoneConsent: true }).expect(201);
    expect(created.body).toEqual({ id: expect.any(String), status: 'new', alert: false, followUpUrl: expect.stringMatching(new RegExp(`^https://trace\\.example\\.cn/t/${batch.traceCode}/feedback/[A-Za-z0-9_-]{32}$`)) });
    const id = created.body.id as string;

    const [row] = await t.app.get(DataSource).query('SELECT * FROM consumer_reports WHERE id = $1', [id]) as Record<string, unknown>[];
    expect(JSON.stringify(row)).not.toMatch(/203\.0\.|127\.0\.0\.1|::1/);
    expect(row.phone).toBe('13800138000');

    const seen = await t.http().get(`/api/v1/consumer-reports/${id}`).set(auth(producer.token)).expect(200);
    expect(seen.body).toMatchObject({ code: batch.traceCode, batchId: batch.id, category: 'quality', phone: '13800138000', phoneMasked: '138****8000', status: 'new', reply: null });
    const photo = await t.http().get(seen.body.photos[0].url).set(auth(regulator.token)).buffer(true).expect(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(photo.body as Buffer).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 900, height: 700 });
    expect(meta.exif).toBeUndefined();

    // the producer's list and the regulator's queue; everyone else: 404 / nothing
    expect((await t.http().get('/api/v1/consumer-reports').set(auth(producer.token)).expect(200)).body.items.map((r: { id: string }) => r.id)).toContain(id);
    expect((await t.http().get('/api/v1/consumer-reports?status=new').set(auth(regulator.token)).expect(200)).body.items.map((r: { id: string }) => r.id)).toContain(id);
    expect((await t.http().get('/api/v1/consumer-reports').set(auth(stranger.token)).expect(200)).body.items).toEqual([]);
    expect((await t.http().get('/api/v1/consumer-reports').set(auth(farRegulator.token)).expect(200)).body.items).toEqual([]);
    for (const token of [stranger.token, farRegulator.token]) {
      await t.http().get(`/api/v1/consumer-reports/${id}`).set(auth(token)).expect(404);
      await t.http().get(seen.body.photos[0].url).set(auth(token)).expect(404);
    }
    await t.http().post(`/api/v1/consumer-reports/${id}/reply`).set(auth(stranger.token)).send({ text: '不是我们的' }).expect(404);
    await t.http().post(`/api/v1/consumer-reports/${id}/triage`).set(auth(farRegulator.token)).send({ status: 'closed', note: '无关' }).expect(404);
    await t.http().post(`/api/v1/consumer-reports/${id}/triage`).set(auth(producer.token)).send({ status: 'closed', note: '自己关' }).expect(403);

    // the reporter's page shows the status; then the triage note and the reply
    const followUp = new URL(created.body.followUpUrl as string).pathname;
    expect((await t.http().get(followUp).expect(200)).text).toContain('尚未答复');
    await t.http().post(`/api/v1/consumer-reports/${id}/triage`).set(auth(regulator.token)).send({ status: 'triaged', note: '已通知生产者核查' }).expect(200);
    const replied = await t.http().post(`/api/v1/consumer-reports/${id}/reply`).set(auth(producer.token)).send({ text: '感谢反馈，已为您办理退换。' }).expect(200);
    expect(replied.body).toMatchObject({ status: 'triaged', triageNote: '已通知生产者核查', reply: '感谢反馈，已为您办理退换。', firstRepliedAt: expect.any(String) });
    const page = await t.http().get(followUp).expect(200);
    expect(page.text).toContain('感谢反馈，已为您办理退换。');
    expect(page.text).toContain('已通知生产者核查');
    expect(page.text).not.toContain('13800138000');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    // the reply is nowhere else public
    expect((await t.http().get(`/t/${batch.traceCode}`).expect(200)).text).not.toContain('感谢反馈');
    await t.http().get(followUp.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))).expect(404);
    await t.http().get(followUp.replace(batch.traceCode, 'AAAAAAAAAAAAA')).expect(404);

    const figures = await t.http().get('/api/v1/consumer-reports/figures?from=2020-01-01&to=2099-12-31&groupBy=organization').set(auth(regulator.token)).expect(200);
    expect(figures.body).toEqual([{ key: producer.id, reports: expect.any(Number), replied: 1, medianReplyHours: 0 }]);

    // The indicator consumer_report_reply_hours: the same median, with periods and drill-down like the others (a reply 26 h later here).
    await t.app.get(DataSource).query(`UPDATE consumer_reports SET first_replied_at = created_at + interval '26 hours' WHERE id = $1`, [id]);
    const indicator = (query: Record<string, string>) => t.http().get('/api/v1/indicators').query({ indicator: 'consumer_report_reply_hours', ...query }).set(auth(regulator.token)).expect(200);
    const whole = await indicator({});
    expect(whole.body.rows).toEqual([expect.objectContaining({ indicator: 'consumer_report_reply_hours', numerator: '1', denominator: String(figures.body[0].reports), rate: 26, unit: '小时' })]);
    const byOrganization = await indicator({ groupBy: 'organization' });
    expect(byOrganization.body.rows).toEqual([expect.objectContaining({ organization: expect.objectContaining({ id: producer.id }), rate: 26 })]);
    expect((await indicator({ groupBy: 'year,organization' })).body.rows.filter((r: { rate: number | null }) => r.rate !== null)).toHaveLength(1);
    // The producer sees its own; another organisation nothing of it.
    expect((await t.http().get('/api/v1/indicators').query({ indicator: 'consumer_report_reply_hours' }).set(auth(stranger.token)).expect(200)).body.rows)
      .toEqual([expect.objectContaining({ numerator: '0', denominator: '0', rate: null })]);
  });

  it('answers bad input with 4xx naming the field', async () => {
    const png = (await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } }).png().toBuffer()).toString('base64');
    const cases: [Record<string, unknown>, number, string][] = [
      [{ phone: '13800138000' }, 400, 'phoneConsent'],
      [{ phone: '028-8555', phoneConsent: true }, 400, 'phone'],
      [{ category: 'rumour' }, 400, 'category'],
      [{ text: '坏' }, 400, 'text'],
      [{ photos: [{ contentType: 'image/jpeg', data: png }] }, 422, 'photos[0]'],
      [{ photos: [{ contentType: 'image/gif', data: png }] }, 422, 'photos[0]'],
      [{ photos: [1, 2, 3, 4].map(() => ({ contentType: 'image/png', data: png })) }, 400, 'photos'],
      [{ code: 'AAAAAAAAAAAAA' }, 404, 'code'],
    ];
    for (const [fields, status, field] of cases) {
      const res = await report(fields);
      expect({ fields, status: res.status }).toEqual({ fields, status });
      expect(JSON.stringify(res.body)).toContain(field);
    }
  });

  it('limits reports per client (429 with Retry-After)', async () => {
    const headers = client();
    for (let i = 0; i < 4; i++) await report({}, headers).expect(201);
    const refused = await report({}, headers).expect(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(refused.headers['retry-after']).toBeDefined();
    await report({}, client()).expect(201);
  });

  it('alerts the regulator once when distinct clients report the same code (possible counterfeit)', async () => {
    const other = await createBatch(t, producer.token);
    const on = (headers: Record<string, string>) => report({ code: other.traceCode, category: 'counterfeit', text: '包装和正品不一样，疑似假冒' }, headers);
    const phone1 = client('Phone One');
    expect((await on(phone1).expect(201)).body.alert).toBe(false);
    expect((await on(phone1).expect(201)).body.alert).toBe(false); // the same client again counts once
    expect((await on(client('Phone Two')).expect(201)).body.alert).toBe(false);
    expect((await on(client('Phone Three')).expect(201)).body.alert).toBe(true);
    expect((await on(client('Phone Four')).expect(201)).body.alert).toBe(false); // once per window
    const alerts = await t.http().get('/api/v1/consumer-reports/alerts').set(auth(regulator.token)).expect(200);
    expect(alerts.body.items).toEqual([expect.objectContaining({ code: other.traceCode, batchId: other.id, clients: 3, windowDays: 7 })]);
    expect((await t.http().get('/api/v1/consumer-reports/alerts').set(auth(farRegulator.token)).expect(200)).body.items).toEqual([]);
    expect((await t.http().get('/api/v1/consumer-reports/alerts').set(auth(stranger.token)).expect(200)).body.items).toEqual([]);
    const [notified] = await t.app.get(DataSource).query(
      `SELECT count(*)::int AS n FROM notifications WHERE kind = 'consumer_report.counterfeit_suspected' AND organization_id = $1`, [regulator.id]) as { n: number }[];
    expect(notified.n).toBe(1);
  });

  it('deletes phones and photos after the retention period, and client keys after the alert window', async () => {
    const created = await report({ photos: [{ contentType: 'image/jpeg', data: await photoWithGps() }], phone: '13900139000', phoneConsent: true }).expect(201);
    const id = created.body.id as string;
    const [row] = await t.app.get(DataSource).query('SELECT photos FROM consumer_reports WHERE id = $1', [id]) as { photos: { key: string }[] }[];
    const file = join(t.config.filesDir, row.photos[0].key);
    expect(existsSync(file)).toBe(true);
    const service = t.app.get(ConsumerReportsService);
    expect(await service.purgeExpired(new Date(Date.now() + 29 * 86_400_000))).toBe(0);
    expect(await service.purgeExpired(new Date(Date.now() + 31 * 86_400_000))).toBeGreaterThanOrEqual(1);
    expect(existsSync(file)).toBe(false);
    const after = await t.http().get(`/api/v1/consumer-reports/${id}`).set(auth(producer.token)).expect(200);
    expect(after.body).toMatchObject({ phone: null, photos: [], personalDataDeletedAt: expect.any(String), text: '猕猴桃有异味，已经变质' });
    const [keys] = await t.app.get(DataSource).query('SELECT count(client_key)::int AS n FROM consumer_reports') as { n: number }[];
    expect(keys.n).toBe(0);
  });

  it('lets the producer reply and the regulator triage in the console (问题反馈 workspace)', async () => {
    const created = await report({ text: '标签上的生产日期和实物不符' }).expect(201);
    const id = created.body.id as string;
    const followUp = new URL(created.body.followUpUrl as string).pathname;
    const stamp = Date.now();
    const operator = await consoleUser(t, producer.id, `op-${stamp}`, '绿源猕猴桃2026春天', 'operator');
    const inspector = await consoleUser(t, regulator.id, `reg-${stamp}`, '绿源猕猴桃2026春天', 'regulator');

    const list = await operator.get('/app/reports?status=new');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`href="/app/reports/${id}"`);
    expect(list.text).toContain('答复时间中位数');
    const detail = await operator.get(`/app/reports/${id}`);
    expect(detail.text).toContain('标签上的生产日期和实物不符');
    expect(detail.text).not.toContain(`/app/reports/${id}/triage`);
    const empty = await operator.post(`/app/reports/${id}/reply`, { ...ConsoleClient.hidden(detail.text, `/app/reports/${id}/reply`), text: '' });
    expect(empty.status).toBe(422);
    const saved = await operator.post(`/app/reports/${id}/reply`, { ...ConsoleClient.hidden(detail.text, `/app/reports/${id}/reply`), text: '已核实，是打印批次错误，已更正。' });
    expect(saved.status).toBe(303);

    const queue = await inspector.get('/app/reports');
    expect(queue.text).toContain('分办队列');
    expect(queue.text).toContain('疑似假冒预警'); // the alert of the earlier test, in this region
    const triage = await inspector.get(`/app/reports/${id}`);
    expect(triage.text).not.toContain(`/app/reports/${id}/reply`);
    const closed = await inspector.post(`/app/reports/${id}/triage`, { ...ConsoleClient.hidden(triage.text, `/app/reports/${id}/triage`), status: 'closed', note: '生产者已更正标签，办结。' });
    expect(closed.status).toBe(303);

    const page = await t.http().get(followUp).expect(200);
    expect(page.text).toContain('已核实，是打印批次错误，已更正。');
    expect(page.text).toContain('已办结');
    expect(page.text).toContain('生产者已更正标签，办结。');
    // another organisation's report: not found in the console either
    const strangerUser = await consoleUser(t, stranger.id, `st-${stamp}`, '绿源猕猴桃2026春天', 'operator');
    expect((await strangerUser.get(`/app/reports/${id}`)).status).toBe(404);
  });

  it('counts consumer_reports_per_10k_scans: reports over scans of the same batches', async () => {
    const lot = await createBatch(t, stranger.token);
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    for (let i = 0; i < 4; i++) await t.http().get(`/t/${lot.traceCode}`).set(client()).expect(200);
    await report({ code: lot.traceCode }).expect(201);
    const row = await eventually(async () => {
      const res = await t.http().get('/api/v1/indicators').query({ indicator: 'consumer_reports_per_10k_scans', from: month, to: month }).set(auth(stranger.token)).expect(200);
      const [r] = res.body.rows as { numerator: string; denominator: string; rate: number; name: string }[];
      return r.denominator === '4' && r.numerator === '1' ? r : undefined;
    });
    expect(row).toMatchObject({ name: '每万次扫码消费者反馈数', rate: 2500, target: null });
  });
});
