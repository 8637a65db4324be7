import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, OrgWithKey, uniqueUscc } from './support/factories';
import { eventually } from './support/processes';
import { createTestApp, TestApp } from './support/test-app';
import { RecallsService } from '../src/modules/recalls/recalls.service';

const kg = (value: string) => ({ value, unit: 'kg' });

/** Recall grades, deadlines in working days, each affected organisation's account, close-out, overdue alerts. */
describe('recall grades and close-out', () => {
  let t: TestApp;
  let farm: OrgWithKey;
  let market: OrgWithKey;
  let regulator: OrgWithKey;
  let stranger: OrgWithKey;

  /** A farm lot of 1200.5 kg, 100 kg of it received by the market. */
  async function distributedLot() {
    const batch = await createBatch(t, farm.token);
    const shipment = await t.http().post('/api/v1/shipments').set(auth(farm.token)).send({ batchId: batch.id, toOrganizationId: market.id, quantity: kg('100') }).expect(201);
    const product = await createProduct(t, market.token);
    const site = await createSite(t, market.token, { regionCode: '510104' });
    await t.http().post(`/api/v1/shipments/${shipment.body.id}/receipt`).set(auth(market.token)).send({ productId: product.id, siteId: site.id }).expect(201);
    return batch;
  }
  const recall = (batchId: string, fields: Record<string, unknown> = {}) =>
    t.http().post('/api/v1/recalls').set(auth(farm.token)).send({ batchId, reason: '自检发现农药残留超标', grade: 1, discoveredAt: '2026-11-20T10:00:00+08:00', ...fields });
  const confirm = (token: string, id: string, recovered: unknown, disposed: unknown, soldThrough: unknown) =>
    t.http().post(`/api/v1/recalls/${id}/confirmations`).set(auth(token)).send({ recovered, disposed, soldThrough });

  beforeAll(async () => {
    t = await createTestApp();
    farm = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    market = await createOrg(t, { name: '成都农产品中心批发市场', kind: 'market', uscc: uniqueUscc('91', '510100'), regionCode: '510104' });
    regulator = await createRegulator(t, '510131');
    stranger = await createOrg(t, { name: '别的合作社' });
  });
  afterAll(() => t.close());

  it('sets deadlines by grade from when the risk became known, in working days of the holiday calendar', async () => {
    const batch = await distributedLot();
    const created = await recall(batch.id).expect(201);
    expect(created.body).toMatchObject({
      grade: { level: 1, name: '一级' }, discoveredAt: '2026-11-20T02:00:00.000Z',
      // the seeded 2026 calendar is not verified yet: the deadline says so
      deadlines: { startBy: '2026-11-21T02:00:00.000Z', finishBy: '2026-12-04', calendarVerified: false },
      startedOnTime: false, closedAt: null,
    });
    const graded3 = await recall((await distributedLot()).id, { grade: 3, discoveredAt: '2026-09-30T12:00:00+08:00' }).expect(201);
    expect(graded3.body.deadlines.finishBy).toBe('2026-11-17'); // National Day skipped, 10-10 worked
    const ungraded = await recall((await distributedLot()).id, { grade: undefined }).expect(201);
    expect(ungraded.body).toMatchObject({ grade: null, deadlines: null, startedOnTime: null, overdue: false });
    for (const bad of [{ grade: 4 }, { grade: '1' }, { discoveredAt: '2099-01-01T00:00:00+08:00' }, { discoveredAt: 'yesterday' }]) {
      const res = await recall(batch.id, bad);
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
    }
  });

  it('refuses close-out until every affected organisation balances with what it had, then closes once', async () => {
    const batch = await distributedLot();
    const { body: r } = await recall(batch.id).expect(201);
    expect(r.closeOut.map((l: { balanced: boolean }) => l.balanced)).toEqual([false, false]);
    const none = await t.http().post(`/api/v1/recalls/${r.id}/close`).set(auth(farm.token)).expect(409);
    expect(none.body).toMatchObject({ code: 'RECALL_NOT_BALANCED', details: { rule: 'balanced' } });
    expect(none.body.details.organizations).toHaveLength(2);

    await confirm(farm.token, r.id, kg('1000'), kg('100'), kg('100')).expect(200); // 0.5 kg short
    await confirm(regulator.token, r.id, kg('1'), kg('1'), kg('1')).expect(403);
    await confirm(stranger.token, r.id, kg('1'), kg('1'), kg('1')).expect(404);
    const mixed = await confirm(market.token, r.id, kg('100'), { value: '0', unit: '斤' }, kg('0')).expect(400);
    expect(mixed.body.details).toMatchObject({ field: 'disposed.unit', rule: 'same_unit' });
    await confirm(market.token, r.id, { value: '-1', unit: 'kg' }, kg('0'), kg('0')).expect(400);
    await confirm(market.token, r.id, { value: '150', unit: '斤' }, { value: '50', unit: '斤' }, { value: '0', unit: '斤' }).expect(200);
    const short = await t.http().post(`/api/v1/recalls/${r.id}/close`).set(auth(regulator.token)).expect(409);
    expect(short.body.details.organizations.map((o: { organizationId: string }) => o.organizationId)).toEqual([farm.id]);

    await confirm(farm.token, r.id, kg('1000'), kg('100.5'), kg('100')).expect(200);
    await t.http().post(`/api/v1/recalls/${r.id}/close`).set(auth(stranger.token)).expect(404);
    await t.http().post(`/api/v1/recalls/${r.id}/close`).set(auth(market.token)).expect(403);
    const closed = await t.http().post(`/api/v1/recalls/${r.id}/close`).set(auth(farm.token)).expect(200);
    expect(closed.body.closedAt).toEqual(expect.any(String));
    expect(closed.body.overdue).toBe(false);
    expect(closed.body.closeOut.every((l: { balanced: boolean }) => l.balanced)).toBe(true);
    const again = await t.http().post(`/api/v1/recalls/${r.id}/close`).set(auth(farm.token)).expect(200);
    expect(again.body.closedAt).toBe(closed.body.closedAt);
    const late = await confirm(market.token, r.id, kg('100'), kg('0'), kg('0')).expect(409);
    expect(late.body.code).toBe('RECALL_CLOSED');

    const mock = await recall(batch.id, { mock: true }).expect(201);
    expect((await t.http().post(`/api/v1/recalls/${mock.body.id}/close`).set(auth(farm.token)).expect(422)).body.code).toBe('RECALL_NOT_LIVE');
  });

  it('alerts the region\'s regulators and the initiator once when an open recall passes its finish day', async () => {
    const { body: r } = await recall((await distributedLot()).id).expect(201);
    expect(r.overdue).toBe(true);
    const service = t.app.get(RecallsService);
    const first = await service.alertOverdue(new Date('2026-12-05T01:00:00+08:00'));
    expect(first).toContain(r.id);
    expect(await service.alertOverdue(new Date('2026-12-06T01:00:00+08:00'))).not.toContain(r.id);
    const kinds = async (token: string) => ((await t.http().get('/api/v1/notifications').set(auth(token)).expect(200)).body.items as { kind: string; subject: { id: string } }[])
      .filter((n) => n.subject.id === r.id).map((n) => n.kind);
    expect(await kinds(regulator.token)).toContain('recall.overdue');
    expect(await kinds(farm.token)).toContain('recall.overdue');
  });

  it('gives the county regulator the recall plan and summary report as a PDF: grade, deadlines, confirmed quantities, balance', async () => {
    const batch = await distributedLot();
    const { body: r } = await recall(batch.id).expect(201);
    expect(r.report.pdf).toBe(`/api/v1/recalls/${r.id}/report.pdf`);
    await confirm(farm.token, r.id, kg('1000'), kg('100.5'), kg('100')).expect(200);
    await t.http().post(`/api/v1/recalls/${r.id}/confirmations`).set(auth(market.token))
      .send({ recovered: kg('60'), disposed: kg('20'), soldThrough: kg('10'), note: '10 公斤已退回供应商' }).expect(200);
    const res = await t.http().get(r.report.pdf).set(auth(regulator.token)).buffer(true).parse((stream, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('attachment');
    mkdirSync('test-output', { recursive: true });
    writeFileSync('test-output/recall-summary-report.pdf', res.body as Buffer); // to look at
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: res.body as Buffer }).toString('utf8').replace(/[ \t]+/g, ' ');
    for (const expected of [
      '食品召回计划及总结报告', '四川省成都市蒲江县', '自检发现农药残留超标', batch.lotCode,
      '一级（24 小时内启动，10 个工作日内完成）', '2026-11-20 10:00', '2026-11-21 10:00', '（超时）', '2026-12-04 24:00 前（节假日数据未经核实）',
      '蒲江县绿源猕猴桃专业合作社', '成都农产品中心批发市场', '1200.5 kg', '1000 kg', '100.5 kg', '60 kg', '90 kg', '平衡', '不平衡',
      '尚有 1 家主体未确认或数量不平衡：成都农产品中心批发市场', '10 公斤已退回供应商',
    ]) expect(text).toContain(expected);

    await t.http().get(r.report.pdf).set(auth(stranger.token)).expect(404);
    const mock = await recall(batch.id, { mock: true }).expect(201);
    expect(mock.body.report.pdf).toBeNull();
    expect((await t.http().get(`/api/v1/recalls/${mock.body.id}/report.pdf`).set(auth(regulator.token)).expect(422)).body.code).toBe('RECALL_NOT_LIVE');
  });

  it('counts recall_on_time_rate: graded recalls started and closed within their deadlines over those closed or overdue', async () => {
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const rate = async () => (await t.http().get('/api/v1/indicators').query({ indicator: 'recall_on_time_rate', from: month, to: month })
      .set(auth(regulator.token)).expect(200)).body.rows[0] as { numerator: string; denominator: string; name: string };
    const before = await rate();
    expect(before.name).toBe('召回按时完成率');
    // started at once (discovered now) and closed at once: on time
    const batch = await distributedLot();
    const { body: r } = await recall(batch.id, { discoveredAt: undefined }).expect(201);
    expect(r.startedOnTime).toBe(true);
    await confirm(farm.token, r.id, kg('1000'), kg('100.5'), kg('100')).expect(200);
    await confirm(market.token, r.id, kg('100'), kg('0'), kg('0')).expect(200);
    await t.http().post(`/api/v1/recalls/${r.id}/close`).set(auth(regulator.token)).expect(200);
    // started late (discovered in November): decided once closed, not on time
    const { body: late } = await recall((await distributedLot()).id).expect(201);
    await confirm(farm.token, late.id, kg('1000'), kg('100.5'), kg('100')).expect(200);
    await confirm(market.token, late.id, kg('100'), kg('0'), kg('0')).expect(200);
    await t.http().post(`/api/v1/recalls/${late.id}/close`).set(auth(farm.token)).expect(200);
    // open and not due yet: not counted
    await recall((await distributedLot()).id, { discoveredAt: undefined, grade: 3 }).expect(201);
    await eventually(async () => {
      const now = await rate();
      return Number(now.numerator) === Number(before.numerator) + 1 && Number(now.denominator) === Number(before.denominator) + 2 ? now : undefined;
    });
  });
});
