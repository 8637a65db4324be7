import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { BATCH_CHANGED, batchEvents, LOCAL, REMOTE } from '../src/common/batch-events';
import { BatchesService } from '../src/modules/batches';
import { ListingsService } from '../src/modules/listings';
import { verifySignature } from '../src/modules/notifications/domain/webhook-crypto';
import { auth, createBatch, createOrg, createProduct, createSite, OrgWithKey } from './support/factories';
import { eventually } from './support/processes';
import { createTestApp, TestApp } from './support/test-app';

const QC = { basis: ['quality_control'], evidence: { qualityControl: '按规程生产' } };

/**
 * Online listings (平台销售 · 直播带货): in a mandatory category a listing points only at batches with a
 * valid certificate; its public page and badge show the current batch; a hold or recall turns the badge
 * red and sends the owner the signed webhook.
 */
describe('online listings', () => {
  let t: TestApp;
  let db: DataSource;
  let coop: OrgWithKey;
  let kiwi: { id: string };
  let site: { id: string };
  const received: { headers: IncomingMessage['headers']; raw: string; body: { kind: string; payload: Record<string, unknown> } }[] = [];
  let server: Server;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({ headers: req.headers, raw, body: JSON.parse(raw) });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '3000' });
    db = t.app.get(DataSource);
    coop = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社', regionCode: '510131' });
    kiwi = await createProduct(t, coop.token, { name: '红阳猕猴桃' });
    site = await createSite(t, coop.token);
  });
  afterAll(async () => {
    await t.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const batch = async (certified: boolean) => {
    const b = await createBatch(t, coop.token, { productId: kiwi.id, siteId: site.id });
    const cert = certified ? (await t.http().post('/api/v1/certificates').set(auth(coop.token)).send({ batchId: b.id, ...QC }).expect(201)).body : null;
    return { ...b, cert };
  };
  const list = (body: Record<string, unknown>, key?: string) => {
    const req = t.http().post('/api/v1/listings').set(auth(coop.token));
    if (key) void req.set('Idempotency-Key', key);
    return req.send({ platform: 'douyin', platformRef: `https://haohuo.jinritemai.com/views/product/item2?id=${Math.random()}`, productId: kiwi.id, ...body });
  };

  it('refuses a batch without a valid certificate in a mandatory category', async () => {
    const bare = await batch(false);
    const res = await list({ batchIds: [bare.id] }).expect(422);
    expect(res.body).toMatchObject({ code: 'LISTING_CERTIFICATE_REQUIRED', details: { field: 'batchIds[0]', rule: 'certified_batch' } });
    const other = await createOrg(t, { name: '别家合作社' });
    const foreign = await createBatch(t, other.token);
    await list({ batchIds: [foreign.id] }).expect(404);
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    expect(JSON.stringify(doc.paths['/api/v1/listings'].post)).toContain('LISTING_CERTIFICATE_REQUIRED');
  });

  it('shows the current batch and certificate on /l/{code} and a green badge; rolls to new batches', async () => {
    const first = await batch(true);
    const res = await list({ platform: 'kuaishou', batchIds: [first.id], sessions: [{ host: '小王', startsAt: '2026-12-04T19:00:00+08:00', endsAt: '2026-12-04T21:00:00+08:00', batchIds: [first.id] }] }, 'listing-1').expect(201);
    const again = await list({ platform: 'kuaishou', batchIds: [first.id] }, 'listing-1').expect(422);
    expect(again.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(res.body).toMatchObject({ platformName: '快手', certificateRequired: true, certified: true, state: 'ok', batches: [{ batchId: first.id, certificate: { number: first.cert.number } }] });
    const path = new URL(res.body.publicUrl).pathname;
    const html = (await t.http().get(path).expect(200)).text;
    for (const expected of ['合格证有效', first.lotCode, first.cert.number, '小王']) expect(html).toContain(expected);
    const badge = await t.http().get(`${path}/badge.svg`).expect(200);
    expect(badge.headers['content-type']).toContain('image/svg+xml');
    expect(String(badge.body)).toContain(first.lotCode);
    expect(String(badge.body)).toContain('#1d6b43');

    const second = await batch(true);
    const rolled = await t.http().put(`/api/v1/listings/${res.body.id}/batches`).set(auth(coop.token)).send({ batchIds: [second.id] }).expect(200);
    expect(rolled.body.batches.map((b: { batchId: string }) => b.batchId)).toEqual([second.id]);
    const history = await db.query('SELECT batch_id, until IS NULL AS current FROM listing_batches WHERE listing_id = $1 ORDER BY since', [res.body.id]);
    expect(history).toEqual([{ batch_id: first.id, current: false }, { batch_id: second.id, current: true }]);
  });

  it('turns the badge red on a hold of a listed batch and sends the owner the signed webhook once', async () => {
    const hook = (await t.http().post('/api/v1/webhooks').set(auth(coop.token)).send({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, kinds: ['listing.batch_on_hold'] }).expect(201)).body;
    const b = await batch(true);
    const listing = (await list({ batchIds: [b.id] }).expect(201)).body;
    await t.http().post(`/api/v1/batches/${b.id}/status`).set(auth(coop.token)).send({ status: 'on_hold', reason: '抽检不合格' }).expect(201);
    const got = await eventually(async () => received.find((r) => r.body.kind === 'listing.batch_on_hold' && r.body.payload.listingId === listing.id));
    expect(verifySignature(hook.secret, got.raw, got.headers['x-tianfu-signature'] as string)).toBe(true);
    expect(got.body.payload).toMatchObject({ batchId: b.id, lotCode: b.lotCode, status: 'on_hold' });
    const path = new URL(listing.publicUrl).pathname;
    expect(String((await t.http().get(`${path}/badge.svg`).expect(200)).body)).toContain('#c62828');
    expect((await t.http().get(path).set('Accept', 'application/json').expect(200)).body).toMatchObject({ state: 'held' });
    // The alert went through the outbox (a job recorded with the hold), and a retried job sends nothing twice.
    const [{ jobs }] = await db.query(`SELECT count(*)::int AS jobs FROM outbox WHERE queue = 'listing-alerts' AND payload->>'batchId' = $1`, [b.id]);
    expect(jobs).toBe(1);
    expect(await t.app.get(ListingsService).alertBatch(b.id, 'on_hold')).toBe(0);
    const [{ sent }] = await db.query(`SELECT count(*)::int AS sent FROM notifications WHERE kind = 'listing.batch_on_hold' AND subject_id = $1`, [listing.id]);
    expect(sent).toBe(1);
  });

  it('alerts a recall made outside the API request (a job, another replica) through the outbox, exactly once; a rolled-back hold alerts nothing', async () => {
    const hook = (await t.http().post('/api/v1/webhooks').set(auth(coop.token)).send({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, kinds: ['listing.batch_recalled'] }).expect(201)).body;
    const b = await batch(true);
    const listing = (await list({ batchIds: [b.id] }).expect(201)).body;
    const batches = t.app.get(BatchesService);
    // A change rolled back records no job.
    await expect(db.transaction(async (m) => {
      await batches.markRecalled(m, [b.id], '召回演练');
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    expect((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE queue = 'listing-alerts' AND payload->>'batchId' = $1`, [b.id]))[0].n).toBe(0);
    // The recall as a job or another process makes it: only the row changes, no event reaches this process's listeners.
    await db.transaction((m) => batches.markRecalled(m, [b.id], '召回：农药残留超标'));
    const got = await eventually(async () => received.find((r) => r.body.kind === 'listing.batch_recalled' && r.body.payload.listingId === listing.id));
    expect(verifySignature(hook.secret, got.raw, got.headers['x-tianfu-signature'] as string)).toBe(true);
    expect(got.body.payload).toMatchObject({ batchId: b.id, status: 'recalled', reason: '召回：农药残留超标' });
    expect((await t.http().get(`${new URL(listing.publicUrl).pathname}`).set('Accept', 'application/json').expect(200)).body).toMatchObject({ state: 'recalled' });
    // The same job run again (a retry after a lost acknowledgement) and two at once send nothing more.
    const service = t.app.get(ListingsService);
    expect(await Promise.all([service.alertBatch(b.id, 'recalled'), service.alertBatch(b.id, 'recalled')])).toEqual([0, 0]);
    const rows = await db.query(`SELECT n.id, (SELECT count(*)::int FROM webhook_deliveries d WHERE d.notification_id = n.id) AS deliveries
      FROM notifications n WHERE n.kind = 'listing.batch_recalled' AND n.subject_id = $1`, [listing.id]) as { deliveries: number }[];
    expect(rows.map((r) => r.deliveries)).toEqual([1]);
    expect(received.filter((r) => r.body.kind === 'listing.batch_recalled' && r.body.payload.listingId === listing.id)).toHaveLength(1);
  });

  it('refreshes a listing on its own process\'s batch changes, not on those relayed from another process (that one refreshes)', async () => {
    const b = await batch(true);
    const listing = (await list({ batchIds: [b.id] }).expect(201)).body as { id: string };
    // The listing's badge state made stale by hand: only a refresh puts it right.
    await db.query('UPDATE listings SET certified = false WHERE id = $1', [listing.id]);
    const certified = async () => ((await db.query('SELECT certified FROM listings WHERE id = $1', [listing.id])) as { certified: boolean }[])[0].certified;
    batchEvents.emit(BATCH_CHANGED, b.id, REMOTE);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await certified()).toBe(false);
    batchEvents.emit(BATCH_CHANGED, b.id, LOCAL);
    await eventually(async () => (await certified() ? true : undefined));
  });

  it('answers unknown listing codes with the friendly 404 page', async () => {
    const res = await t.http().get('/l/0000000000000').expect(404);
    expect(res.text).toContain('未找到该商品链接');
    await t.http().get('/l/0000000000000/badge.svg').expect(404);
  });
});
