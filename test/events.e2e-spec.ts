import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'superagent';
import { DataSource } from 'typeorm';
import { schemaProblems } from '../libs/epcis';
import { ADMIN_TOKEN } from './support/test-app';
import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, OrgWithKey, uniqueGtin13, uniqueUscc } from './support/factories';
import { eventually } from './support/processes';
import { createTestApp, TestApp } from './support/test-app';

const EXAMPLES = join(__dirname, 'fixtures', 'epcis-examples');
const LD = 'application/ld+json';

const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('supply-chain events, EPCIS 2.0, trace and recall', () => {
  let t: TestApp;
  let db: DataSource;
  let farm: OrgWithKey;
  let market: OrgWithKey;
  let shop: OrgWithKey;
  let farmProduct: { id: string; gtin: string | null };
  let marketProduct: { id: string };
  let marketSite: { id: string };

  /** A capture, waited for until its job has finished. */
  async function capture(token: string, document: unknown, behaviour?: string) {
    const req = t.http().post('/api/v1/events').set(auth(token)).set('Content-Type', LD);
    if (behaviour) void req.set('GS1-Capture-Error-Behaviour', behaviour);
    const res = await req.send(JSON.stringify(document)).expect(202);
    expect(res.headers.location).toBe(`/api/v1/capture/${res.body.captureID}`);
    return eventually(async () => {
      const job = await t.http().get(res.headers.location as string).set(auth(token)).expect(200);
      return job.body.running ? undefined : job.body;
    });
  }

  function ship(token: string, batchId: string, to: string, value: string, extra: Record<string, unknown> = {}) {
    return t.http().post('/api/v1/shipments').set(auth(token))
      .send({ batchId, toOrganizationId: to, quantity: { value, unit: 'kg' }, ...extra });
  }

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    farm = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    market = await createOrg(t, { name: '成都农产品中心批发市场', kind: 'market', regionCode: '510117', uscc: uniqueUscc('91', '510117') });
    shop = await createOrg(t, { name: '锦江生鲜超市', kind: 'enterprise', regionCode: '510104', uscc: uniqueUscc('91', '510104') });
    farmProduct = await createProduct(t, farm.token, { name: '蒲江猕猴桃（红阳）', gtin: uniqueGtin13() });
    marketProduct = await createProduct(t, market.token, { name: '猕猴桃（批发）' });
    marketSite = await createSite(t, market.token, { name: '郫都区冷库', regionCode: '510117' });
  });
  afterAll(() => t.close());

  it('ships, receives as a linked inbound lot, and never ships more than the lot holds', async () => {
    const lot = await createBatch(t, farm.token, { productId: farmProduct.id, quantity: { value: '100', unit: 'kg' } });
    const first = await ship(farm.token, lot.id, market.id, '60', { referenceDocument: 'FH-2026-001' }).expect(201);
    expect(first.body).toMatchObject({ status: 'in_transit', quantity: { value: '60', unit: 'kg' } });
    expect(first.body.eventID).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);

    const over = await ship(farm.token, lot.id, market.id, '40.001').expect(422);
    expect(over.body).toMatchObject({ code: 'INSUFFICIENT_QUANTITY', details: { field: 'quantity', available: { value: '40', unit: 'kg' } } });
    // 40 kg left: two concurrent 30 kg shipments cannot both pass
    const both = await Promise.all([ship(farm.token, lot.id, shop.id, '30'), ship(farm.token, lot.id, shop.id, '30')]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 422]);
    const [{ total }] = await db.query('SELECT sum(quantity_value)::text AS total FROM shipments WHERE from_batch_id = $1', [lot.id]);
    expect(Number(total)).toBe(90);

    const receipt = await t.http().post(`/api/v1/shipments/${first.body.id}/receipt`).set(auth(market.token))
      .send({ productId: marketProduct.id, siteId: marketSite.id, quantity: { value: '59.5', unit: 'kg' } }).expect(201);
    expect(receipt.body).toMatchObject({ status: 'received', receivedBatch: { lotCode: expect.any(String) } });
    const inbound = receipt.body.receivedBatch.id as string;
    const links = await db.query('SELECT from_batch_id, to_batch_id, kind FROM lot_links WHERE to_batch_id = $1', [inbound]);
    expect(links).toEqual([{ from_batch_id: lot.id, to_batch_id: inbound, kind: 'shipment' }]);

    // the sender cannot book it, nobody books it twice, and a receipt needs a shipment
    await t.http().post(`/api/v1/shipments/${first.body.id}/receipt`).set(auth(farm.token))
      .send({ productId: marketProduct.id, siteId: marketSite.id }).expect(403);
    const twice = await t.http().post(`/api/v1/shipments/${first.body.id}/receipt`).set(auth(market.token))
      .send({ productId: marketProduct.id, siteId: marketSite.id }).expect(422);
    expect(twice.body.code).toBe('SHIPMENT_ALREADY_RECEIVED');
    const none = await t.http().post('/api/v1/shipments/00000000-0000-4000-8000-000000000000/receipt').set(auth(market.token))
      .send({ productId: marketProduct.id, siteId: marketSite.id }).expect(422);
    expect(none.body.code).toBe('SHIPMENT_NOT_FOUND');
    const toMuch = await ship(farm.token, lot.id, shop.id, '5').expect(201);
    await t.http().post(`/api/v1/shipments/${toMuch.body.id}/receipt`).set(auth(shop.token))
      .send({ productId: marketProduct.id, siteId: marketSite.id }).expect(404);

    // two equal loads leaving at the same instant are two shipments, two events
    const twin = { shippedAt: '2026-11-01T02:00:00Z', referenceDocument: 'TWIN' };
    const [x, y] = [await ship(farm.token, lot.id, shop.id, '1', twin).expect(201), await ship(farm.token, lot.id, shop.id, '1', twin).expect(201)];
    expect(x.body.eventID).not.toBe(y.body.eventID);

    // the receiver sees the shipment; the inbound lot is its own batch
    const inboundList = await t.http().get('/api/v1/shipments?direction=inbound').set(auth(market.token)).expect(200);
    expect(inboundList.body.items.map((s: { id: string }) => s.id)).toContain(first.body.id);
    await t.http().get(`/api/v1/batches/${inbound}`).set(auth(market.token)).expect(200);
  });

  it('transforms lots with mass balance and yield, and refuses cycles', async () => {
    const site = await createSite(t, market.token, { name: '分拣车间', regionCode: '510117' });
    const a = await createBatch(t, market.token, { productId: marketProduct.id, siteId: site.id, quantity: { value: '50', unit: 'kg' } });
    const b = await createBatch(t, market.token, { productId: marketProduct.id, siteId: site.id, quantity: { value: '30', unit: 'kg' } });
    const mixed = await t.http().post('/api/v1/transformations').set(auth(market.token)).send({
      kind: 'mixing',
      inputs: [{ batchId: a.id, quantity: { value: '50', unit: 'kg' } }, { batchId: b.id, quantity: { value: '20000', unit: 'g' } }],
      outputs: [{ productId: marketProduct.id, siteId: site.id, quantity: { value: '70', unit: 'kg' } }],
    }).expect(201);
    const mix = mixed.body.outputs[0].batchId as string;
    expect(mixed.body.eventID).toMatch(/^ni:\/\/\/sha-256;/);

    // a is used up; b has 10 kg left
    const overdrawn = await t.http().post('/api/v1/transformations').set(auth(market.token)).send({
      kind: 'splitting', inputs: [{ batchId: a.id, quantity: { value: '1', unit: 'kg' } }],
      outputs: [{ productId: marketProduct.id, siteId: site.id, quantity: { value: '1', unit: 'kg' } }],
    }).expect(422);
    expect(overdrawn.body).toMatchObject({ code: 'INSUFFICIENT_QUANTITY', details: { field: 'inputs[0].quantity' } });

    const tooMuch = await t.http().post('/api/v1/transformations').set(auth(market.token)).send({
      kind: 'splitting', inputs: [{ batchId: mix, quantity: { value: '10', unit: 'kg' } }],
      outputs: [{ productId: marketProduct.id, siteId: site.id, quantity: { value: '6', unit: 'kg' } },
        { productId: marketProduct.id, siteId: site.id, quantity: { value: '4.5', unit: 'kg' } }],
    }).expect(422);
    expect(tooMuch.body.code).toBe('YIELD_EXCEEDED');

    const split = await t.http().post('/api/v1/transformations').set(auth(market.token)).send({
      kind: 'splitting', inputs: [{ batchId: mix, quantity: { value: '10', unit: 'kg' } }],
      outputs: [{ productId: marketProduct.id, siteId: site.id, quantity: { value: '6', unit: 'kg' } },
        { productId: marketProduct.id, siteId: site.id, quantity: { value: '4', unit: 'kg' } }],
    }).expect(201);
    const child = split.body.outputs[0].batchId as string;

    // feeding the child back into its own ancestor closes a loop
    const cycle = await t.http().post('/api/v1/transformations').set(auth(market.token)).send({
      kind: 'processing', inputs: [{ batchId: child, quantity: { value: '1', unit: 'kg' } }],
      outputs: [{ batchId: a.id, quantity: { value: '1', unit: 'kg' } }],
    }).expect(422);
    expect(cycle.body.code).toBe('TRANSFORMATION_CYCLE');

    // another organisation's lot is not found
    const foreign = await createBatch(t, farm.token, { productId: farmProduct.id });
    const notMine = await t.http().post('/api/v1/transformations').set(auth(market.token)).send({
      kind: 'processing', inputs: [{ batchId: foreign.id, quantity: { value: '1', unit: 'kg' } }],
      outputs: [{ productId: marketProduct.id, siteId: site.id, quantity: { value: '1', unit: 'kg' } }],
    }).expect(404);
    expect(notMine.body.details.field).toBe('inputs[0].batchId');

    const trace = await t.http().get(`/api/v1/batches/${child}/trace?direction=up`).set(auth(market.token)).expect(200);
    expect(trace.body.lots.map((l: { id: string; depth: number }) => [l.id, l.depth]).sort()).toEqual(
      [[child, 0], [mix, -1], [a.id, -2], [b.id, -2]].sort(),
    );
    expect(trace.body.events).toHaveLength(3);
    const down = await t.http().get(`/api/v1/batches/${a.id}/trace?direction=down&depth=1`).set(auth(market.token)).expect(200);
    expect(down.body.lots.map((l: { id: string }) => l.id).sort()).toEqual([a.id, mix].sort());
    await t.http().get(`/api/v1/batches/${a.id}/trace?direction=sideways`).set(auth(market.token)).expect(400);
    await t.http().get(`/api/v1/batches/${a.id}/trace`).set(auth(farm.token)).expect(404);
  });

  it('accepts every official EPCIS 2.0 example through the asynchronous capture interface', async () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.jsonld'));
    expect(files.length).toBe(14);
    for (const file of files) {
      const job = await capture(farm.token, JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')));
      expect({ file, success: job.success, errors: job.errors }).toEqual({ file, success: true, errors: [] });
    }
    const stored = await t.http().get('/api/v1/events?eventType=TransformationEvent&limit=200').set(auth(farm.token)).expect(200);
    expect(stored.body.items.length).toBeGreaterThan(0);
    const withClass = await t.http().get('/api/v1/events').query({ MATCH_epcClass: 'urn:epc:class:lgtin:4012345.012345.998877' }).set(auth(farm.token)).expect(200);
    expect(withClass.body.items.length).toBeGreaterThan(0);
  });

  it('answers malformed EPCIS with 400 and the schema path, bad JSON with MALFORMED_JSON', async () => {
    const doc = JSON.parse(readFileSync(join(EXAMPLES, 'Example_9.6.1-ObjectEvent.jsonld'), 'utf8'));
    doc.epcisBody.eventList[0].action = 'TELEPORT';
    const res = await t.http().post('/api/v1/events').set(auth(farm.token)).set('Content-Type', LD).send(JSON.stringify(doc)).expect(400);
    expect(res.body.code).toBe('INVALID_EPCIS');
    expect(res.body.details.schemaPath).toMatch(/^\/epcisBody\/eventList\/0/);
    const bad = await t.http().post('/api/v1/events').set(auth(farm.token)).set('Content-Type', LD).send('{"type":').expect(400);
    expect(bad.body.code).toBe('MALFORMED_JSON');
    await t.http().post('/api/v1/events').set(auth(farm.token)).send({ type: 'EPCISDocument' }).expect(400);
  });

  it('reports unknown lots and organisations per event, rolling back or proceeding as asked', async () => {
    const base = t.config.publicBaseUrl;
    const lot = await createBatch(t, farm.token, { productId: farmProduct.id });
    const gtin14 = farmProduct.gtin!.padStart(14, '0');
    const event = (epcClass: string, eventTime: string, destination?: string) => ({
      type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting', eventTime, eventTimeZoneOffset: '+08:00',
      quantityList: [{ epcClass, quantity: 5, uom: 'KGM' }],
      ...(destination ? { destinationList: [{ type: 'owning_party', destination }] } : {}),
    });
    const doc = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0',
      creationDate: '2026-11-20T08:00:00Z',
      epcisBody: { eventList: [
        event(`${base}/01/${gtin14}/10/${lot.lotCode}`, '2026-11-20T08:00:00+08:00'),
        event(`${base}/01/${gtin14}/10/NOSUCHLOT`, '2026-11-20T08:01:00+08:00'),
        event(`${base}/01/${gtin14}/10/${lot.lotCode}`, '2026-11-20T08:02:00+08:00', `${base}/party/00000000-0000-4000-8000-000000000000`),
        event('https://id.partner.example/01/09521234543213/10/P1', '2026-11-20T08:03:00+08:00'),
      ] },
    };
    const rolledBack = await capture(farm.token, doc);
    expect(rolledBack.success).toBe(false);
    expect(rolledBack.errors.map((e: { index: number; code: string }) => [e.index, e.code])).toEqual([[1, 'UNKNOWN_LOT'], [2, 'UNKNOWN_ORGANIZATION']]);
    const lotUri = `${base}/01/${gtin14}/10/${lot.lotCode}`;
    let found = await t.http().get('/api/v1/events').query({ MATCH_epcClass: lotUri }).set(auth(farm.token)).expect(200);
    expect(found.body.items).toHaveLength(0);

    const proceeded = await capture(farm.token, doc, 'proceed');
    expect(proceeded).toMatchObject({ success: true, capturedCount: 2 });
    expect(proceeded.errors).toHaveLength(2);
    found = await t.http().get('/api/v1/events').query({ MATCH_epcClass: lotUri, EQ_bizStep: 'inspecting' }).set(auth(farm.token)).expect(200);
    expect(found.body.items).toHaveLength(1);
    const [row] = await db.query('SELECT batch_ids FROM epcis_events WHERE event_id = $1', [found.body.items[0].eventID]);
    expect(row.batch_ids).toEqual([lot.id]);
    // the partner's lot is stored too, unlinked, and another organisation sees none of it
    const partner = await t.http().get('/api/v1/events').query({ MATCH_epcClass: 'https://id.partner.example/01/09521234543213/10/P1' }).set(auth(farm.token)).expect(200);
    expect(partner.body.items).toHaveLength(1);
    const other = await t.http().get('/api/v1/events').query({ MATCH_epcClass: lotUri }).set(auth(shop.token)).expect(200);
    expect(other.body.items).toHaveLength(0);
    await t.http().get(`/api/v1/capture/${proceeded.captureID}`).set(auth(shop.token)).expect(404);
  });

  it('queries by time, step, location and EPC with paging, and exports schema-valid EPCIS documents', async () => {
    const lot = await createBatch(t, farm.token, { productId: farmProduct.id, quantity: { value: '10', unit: 'kg' } });
    for (const [i, at] of ['2026-11-01T02:00:00Z', '2026-11-02T02:00:00Z', '2026-11-03T02:00:00Z'].entries()) {
      await ship(farm.token, lot.id, market.id, '1', { shippedAt: at, referenceDocument: `Q-${i}` }).expect(201);
    }
    const lotUri = (await t.http().get(`/api/v1/batches/${lot.id}`).set(auth(farm.token))).body.qrContent as string;
    const q = { MATCH_epcClass: lotUri, EQ_bizStep: 'shipping' };
    const window = await t.http().get('/api/v1/events').query({ ...q, GE_eventTime: '2026-11-02T00:00:00Z', LT_eventTime: '2026-11-03T00:00:00+00:00' }).set(auth(farm.token)).expect(200);
    expect(window.body.items.map((e: { eventTime: string }) => e.eventTime)).toEqual(['2026-11-02T02:00:00.000Z']);
    const page1 = await t.http().get('/api/v1/events').query({ ...q, perPage: 2 }).set(auth(farm.token)).expect(200);
    expect(page1.body.items).toHaveLength(2);
    const page2 = await t.http().get('/api/v1/events').query({ ...q, perPage: 2, nextPageToken: page1.body.nextCursor }).set(auth(farm.token)).expect(200);
    expect(page2.body).toMatchObject({ nextCursor: null });
    expect(page2.body.items[0].eventTime).toBe('2026-11-01T02:00:00.000Z');
    const receiverView = await t.http().get('/api/v1/events').query(q).set(auth(market.token)).expect(200);
    expect(receiverView.body.items).toHaveLength(3);
    const readPoint = page1.body.items[0].readPoint.id as string;
    const none = await t.http().get('/api/v1/events').query({ ...q, EQ_bizLocation: readPoint }).set(auth(farm.token)).expect(200);
    expect(none.body.items).toHaveLength(0);
    await t.http().get('/api/v1/events').query({ GE_eventTime: 'yesterday' }).set(auth(farm.token)).expect(400);

    const doc = await t.http().get('/api/v1/events').query({ ...q, perPage: 2 }).set(auth(farm.token)).set('Accept', LD).expect(200);
    expect(doc.headers['content-type']).toContain('application/ld+json');
    expect(doc.headers.link).toContain('rel="next"');
    expect(schemaProblems(doc.body)).toEqual([]);
    // everything the platform wrote so far validates, including transformations
    const all = await t.http().get('/api/v1/events').query({ format: 'epcis', perPage: 1000 }).set(auth(ADMIN_TOKEN)).expect(200);
    expect(schemaProblems(all.body)).toEqual([]);
    // platform events carry their own hash as eventID, and capturing one back is a duplicate
    const own = page1.body.items[0];
    const job = await capture(farm.token, { ...doc.body, epcisBody: { eventList: [own] } });
    expect(job).toMatchObject({ success: true, capturedCount: 0, duplicateCount: 1 });
  });

  it('the recall report has one row per tracking event: a shipped-and-received lot gives a ship row and a receive row', async () => {
    const origin = await createBatch(t, farm.token, { productId: farmProduct.id, quantity: { value: '300', unit: 'kg' } });
    const hostileDoc = '=HYPERLINK("http://evil.example.cn","FH")';
    const sent = await ship(farm.token, origin.id, market.id, '120', { referenceDocument: hostileDoc, shippedAt: '2026-11-03T01:00:00Z' }).expect(201);
    const got = await t.http().post(`/api/v1/shipments/${sent.body.id}/receipt`).set(auth(market.token))
      .send({ productId: marketProduct.id, siteId: marketSite.id, quantity: { value: '119.5', unit: 'kg' }, receivedAt: '2026-11-04T06:30:00Z' }).expect(201);
    const [originLot, marketLot] = await Promise.all([origin.id, got.body.receivedBatch.id as string].map(async (id) =>
      (await t.http().get(`/api/v1/batches/${id}`).set(auth(ADMIN_TOKEN)).expect(200)).body as { lotCode: string }));

    const recall = await t.http().post('/api/v1/recalls').set(auth(farm.token)).send({ batchId: origin.id, reason: '模拟召回演练', mock: true }).expect(201);
    expect(recall.body.eventCount).toBe(3);
    const csv = await t.http().get(`/api/v1/recalls/${recall.body.id}/report.csv`).set(auth(farm.token)).expect(200);
    const rows = parse(csv.text, { bom: true, columns: true }) as Record<string, string>[];
    const pick = (r: Record<string, string>) => ({
      date: r['日期 Date'], eventType: r['事件 Event type'], lot: r['批次 Lot'], quantity: r['数量 Quantity'], location: r['地点 Location'],
      source: r['来源 Source'], destination: r['去向 Destination'], referenceDocument: r['单据 Reference document'],
    });
    expect(rows.map(pick)).toEqual([
      expect.objectContaining({ eventType: 'origin 生产', lot: originLot.lotCode, quantity: '300' }),
      { date: '2026-11-03T01:00:00.000Z', eventType: 'shipping 发货', lot: originLot.lotCode, quantity: '120', location: '四川省成都市蒲江县',
        source: `蒲江县绿源猕猴桃专业合作社 · ${originLot.lotCode}`, destination: '成都农产品中心批发市场', referenceDocument: `'${hostileDoc}` },
      { date: '2026-11-04T06:30:00.000Z', eventType: 'receiving 收货', lot: marketLot.lotCode, quantity: '119.5', location: '四川省成都市郫都区',
        source: `蒲江县绿源猕猴桃专业合作社 · ${originLot.lotCode}`, destination: '成都农产品中心批发市场', referenceDocument: `'${hostileDoc}` },
    ]);
  });

  it('recalls everything downstream (mock first), with a red banner and HTML/CSV/XLSX reports', async () => {
    const origin = await createBatch(t, farm.token, { productId: farmProduct.id, quantity: { value: '500', unit: 'kg' } });
    const s1 = await ship(farm.token, origin.id, market.id, '200', { referenceDocument: 'RC-001' }).expect(201);
    const r1 = await t.http().post(`/api/v1/shipments/${s1.body.id}/receipt`).set(auth(market.token))
      .send({ productId: marketProduct.id, siteId: marketSite.id }).expect(201);
    const marketLot = r1.body.receivedBatch.id as string;
    const split = await t.http().post('/api/v1/transformations').set(auth(market.token)).send({
      kind: 'repacking', inputs: [{ batchId: marketLot, quantity: { value: '100', unit: 'kg' } }],
      outputs: [{ productId: marketProduct.id, siteId: marketSite.id, quantity: { value: '100', unit: 'kg' } }],
    }).expect(201);
    const packed = split.body.outputs[0].batchId as string;
    await ship(market.token, packed, shop.id, '40', { referenceDocument: 'RC-002' }).expect(201); // still in transit

    const regulator = await createRegulator(t, '510100');
    const mock = await t.http().post('/api/v1/recalls').set(auth(regulator.token)).send({ batchId: origin.id, reason: '例行监测：农药残留超标', mock: true }).expect(201);
    expect(mock.body).toMatchObject({ mode: 'mock', lotCount: 3, recalledLotCount: 0, epcisEventID: null });
    expect(mock.body.durationMs).toEqual(expect.any(Number));
    expect(mock.body.affectedOrganizations.map((o: { name: string }) => o.name).sort()).toEqual(
      ['成都农产品中心批发市场', '蒲江县绿源猕猴桃专业合作社', '锦江生鲜超市'].sort(),
    );
    const shopEntry = mock.body.affectedOrganizations.find((o: { organizationId: string }) => o.organizationId === shop.id);
    expect(shopEntry).toMatchObject({ lots: 0, inTransit: true, quantities: { kg: '40' } });
    const untouched = await t.http().get(`/api/v1/batches/${packed}`).set(auth(market.token)).expect(200);
    expect(untouched.body.status).toBe('active');

    // the consumer page of the packed lot shows the chain
    const packedCode = untouched.body.traceCode as string;
    const page = await t.http().get(`/t/${packedCode}`).expect(200);
    for (const text of ['流转记录', '蒲江县绿源猕猴桃专业合作社', '成都农产品中心批发市场', '收货', '重新包装']) expect(page.text).toContain(text);
    const json = await t.http().get(`/api/v1/scan/${packedCode}`).expect(200);
    expect(json.body.supplyChain.map((s: { step: string }) => s.step)).toEqual(['生产', '收货', '重新包装']);

    await t.http().post('/api/v1/recalls').set(auth(shop.token)).send({ batchId: origin.id, reason: 'x y' }).expect(404);
    const live = await t.http().post('/api/v1/recalls').set(auth(farm.token)).send({ batchId: origin.id, reason: '自检发现农药残留超标' }).expect(201);
    expect(live.body).toMatchObject({ mode: 'recall', lotCount: 3, recalledLotCount: 3 });
    expect(live.body.epcisEventID).toMatch(/^ni:\/\/\/sha-256;/);
    for (const id of [origin.id, marketLot, packed]) {
      const [row] = await db.query('SELECT status FROM batches WHERE id = $1', [id]);
      expect(row.status).toBe('recalled');
    }
    const red = await t.http().get(`/t/${packedCode}`).expect(200);
    expect(red.text).toContain('banner danger');
    const originUri = (await t.http().get(`/api/v1/batches/${origin.id}`).set(auth(farm.token))).body.qrContent as string;
    const disposition = await t.http().get('/api/v1/events').query({ MATCH_epcClass: originUri, EQ_bizStep: 'holding' }).set(auth(farm.token)).expect(200);
    expect(disposition.body.items[0]).toMatchObject({ disposition: 'recalled', persistentDisposition: { set: ['recalled'] } });
    // every affected organisation can read it; the recall lists them for notification
    const seen = await t.http().get(`/api/v1/recalls/${live.body.id}`).set(auth(shop.token)).expect(200);
    expect(seen.body.affectedOrganizations).toHaveLength(3);
    // … and each is notified (notification list + signed webhooks), the region's regulator too
    const kindsOf = async (token: string) => ((await t.http().get('/api/v1/notifications').set(auth(token)).expect(200)).body.items as { kind: string; subject: { id: string } }[])
      .filter((n) => n.subject.id === live.body.id).map((n) => n.kind);
    expect(await kindsOf(shop.token)).toEqual(['recall.affected']);
    expect(await kindsOf(market.token)).toEqual(['recall.affected']);
    expect(await kindsOf(farm.token)).toEqual(['recall.created']);
    expect(await kindsOf(regulator.token)).toEqual(['recall.created']);

    const csv = await t.http().get(`/api/v1/recalls/${live.body.id}/report.csv?sort=quantity&order=desc`).set(auth(farm.token)).expect(200);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(1 + 5); // origin, shipment, receipt, repacking, shipment in transit
    expect(lines[1]).toContain('500');
    expect(csv.text).toContain('RC-001');
    expect(csv.text).toContain('RC-002');
    const html = await t.http().get(`/api/v1/recalls/${live.body.id}/report.html`).set(auth(regulator.token)).expect(200);
    expect(html.text).toContain('召回报告');
    expect(html.text).toContain('锦江生鲜超市');
    const xlsx = await t.http().get(`/api/v1/recalls/${live.body.id}/report.xlsx`).set(auth(farm.token)).buffer(true).parse(binary).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.worksheets[0];
    expect(sheet.rowCount).toBe(6);
    expect(sheet.autoFilter).toBeTruthy();
    await t.http().get(`/api/v1/recalls/${live.body.id}/report.docx`).set(auth(farm.token)).expect(404);
    await t.http().get(`/api/v1/recalls/${live.body.id}/report.csv?sort=colour`).set(auth(farm.token)).expect(400);
    // a recalled lot cannot ship
    const blocked = await ship(market.token, packed, shop.id, '1').expect(422);
    expect(blocked.body.code).toBe('BATCH_NOT_ACTIVE');
  });
});
