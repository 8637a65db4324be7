import type ExcelJSModule from 'exceljs';
import { readCsvRecords } from '../libs/csv';
import { FSMA_COLUMNS } from '../src/modules/fsma/domain';
import { consoleUser } from './support/console';
import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, uniqueGtin13 } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ExcelJS = require('exceljs') as typeof ExcelJSModule;

type Row = Record<string, string>;

/**
 * Issue 15, item 5: FSMA 204 key data elements on batches, shipments and receipts, and the sortable
 * spreadsheet for a product and date range (CSV, XLSX), scoped to the caller, with EU 931/2011 names
 * and addresses.
 */
describe('FSMA 204 records', () => {
  let t: TestApp;
  let farm: Awaited<ReturnType<typeof createOrg>>;
  let market: Awaited<ReturnType<typeof createOrg>>;
  let stranger: Awaited<ReturnType<typeof createOrg>>;
  let lot: Awaited<ReturnType<typeof createBatch>>;
  let inboundLot: string;
  let madeLot: string;
  let receipt: Record<string, unknown>;
  const gtin = `0${uniqueGtin13()}`;
  const marketGtin = `0${uniqueGtin13()}`;
  const range = 'from=2026-10-01&to=2026-10-31';

  const records = async (token: string, g = gtin, query = range): Promise<Row[]> => {
    const res = await t.http().get(`/api/v1/fsma204/records?gtin=${g}&${query}&format=json`).set(auth(token)).expect(200);
    return res.body.rows as Row[];
  };

  beforeAll(async () => {
    t = await createTestApp();
    farm = await createOrg(t, { name: '蒲江县猕猴桃专业合作社', address: '四川省成都市蒲江县鹤山街道 8 号' });
    market = await createOrg(t, { name: '成都农产品中心批发市场', address: '成都市金牛区天回镇', regionCode: '510106' });
    stranger = await createOrg(t, { name: '另一家合作社' });
    const product = await createProduct(t, farm.token, { gtin, name: '蒲江猕猴桃' });
    const orchard = await createSite(t, farm.token, { name: '西来镇果园', address: '蒲江县西来镇铁牛村' });
    const packhouse = await createSite(t, farm.token, { name: '鹤山冷库', address: '蒲江县鹤山街道工业园' });
    // A cooling place without its time is refused (it would otherwise be lost), naming the missing field.
    const placeOnly = await t.http().post('/api/v1/batches').set(auth(farm.token))
      .send({ productId: product.id, siteId: orchard.id, quantity: { value: '5', unit: 'kg' }, producedOn: '2026-10-08', coolingSiteId: packhouse.id }).expect(400);
    expect(placeOnly.body.details).toMatchObject({ field: 'cooledAt', rule: 'required_with' });
    lot = await createBatch(t, farm.token, {
      productId: product.id, siteId: orchard.id, quantity: { value: '500', unit: 'kg' },
      harvestedOn: '2026-10-06', producedOn: '2026-10-08', variety: '红阳', growingArea: '铁牛村 3 号地块',
      harvesterName: '西来镇采收服务队', harvesterPhone: '028-88001234', cooledAt: '2026-10-07T02:00:00Z', coolingSiteId: packhouse.id,
      tlcSourceSiteId: packhouse.id,
    });
    const shipped = await t.http().post('/api/v1/shipments').set(auth(farm.token)).send({
      batchId: lot.id, toOrganizationId: market.id, quantity: { value: '200', unit: 'kg' },
      referenceDocument: 'BOL-2026-1009', referenceDocumentType: 'bill_of_lading', shippedAt: '2026-10-09T01:00:00Z',
    }).expect(201);
    const marketProduct = await createProduct(t, market.token, { gtin: marketGtin, name: '猕猴桃（批发）' });
    const stall = await createSite(t, market.token, { name: '金牛冷库', regionCode: '510106', address: '金牛区天回镇 100 号' });
    // A type without the document's number is refused, naming the field.
    const typeOnly = await t.http().post(`/api/v1/shipments/${shipped.body.id}/receipt`).set(auth(market.token))
      .send({ productId: marketProduct.id, siteId: stall.id, receivedAt: '2026-10-09T06:00:00Z', referenceDocumentType: 'receiving_note' }).expect(400);
    expect(typeOnly.body.details).toMatchObject({ field: 'referenceDocument', rule: 'required_with_type' });
    const received = await t.http().post(`/api/v1/shipments/${shipped.body.id}/receipt`).set(auth(market.token))
      .send({ productId: marketProduct.id, siteId: stall.id, receivedAt: '2026-10-09T06:00:00Z', referenceDocument: 'GRN 2026/1009-07', referenceDocumentType: 'receiving_note' }).expect(201);
    receipt = received.body;
    inboundLot = received.body.receivedBatch.lotCode;
    const made = await t.http().post('/api/v1/transformations').set(auth(market.token)).send({
      kind: 'repacking', occurredAt: '2026-10-10T03:00:00Z',
      inputs: [{ batchId: received.body.receivedBatch.id, quantity: { value: '100', unit: 'kg' } }],
      outputs: [{ productId: marketProduct.id, siteId: stall.id, quantity: { value: '98', unit: 'kg' } }],
    }).expect(201);
    madeLot = made.body.outputs[0].lotCode;
  });
  afterAll(() => t.close());

  it('batches take the harvest, cooling and packing KDEs, refusing half a harvester and another organisation\'s site', async () => {
    const product = await createProduct(t, stranger.token);
    const site = await createSite(t, stranger.token);
    const half = await t.http().post('/api/v1/batches').set(auth(stranger.token))
      .send({ productId: product.id, siteId: site.id, quantity: { value: '1', unit: 'kg' }, producedOn: '2026-10-08', harvesterName: '采收队' }).expect(400);
    expect(half.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'harvesterPhone' } });
    const foreign = await t.http().post('/api/v1/batches').set(auth(stranger.token))
      .send({ productId: product.id, siteId: site.id, quantity: { value: '1', unit: 'kg' }, producedOn: '2026-10-08', tlcSourceSiteId: (await createSite(t, farm.token)).id }).expect(404);
    expect(foreign.body.details.field).toBe('tlcSourceSiteId');
  });

  it('the producer\'s rows: harvesting, cooling, initial packing and shipping with their key data elements', async () => {
    const rows = await records(farm.token);
    expect(rows.map((r) => r['Critical Tracking Event'])).toEqual(['Harvesting', 'Cooling', 'Initial Packing', 'Shipping']);
    const [harvest, cooling, packing, shipping] = rows;
    expect(harvest).toMatchObject({
      'Event Date': '2026-10-06', 'Traceability Lot Code': lot.lotCode, Variety: '红阳', Commodity: '猕猴桃', GTIN: gtin,
      'Field or Growing Area': '铁牛村 3 号地块', 'Harvester Business Name': '西来镇采收服务队', 'Harvester Phone': '028-88001234',
      'Location Description': '蒲江县猕猴桃专业合作社 西来镇果园, 蒲江县西来镇铁牛村', Quantity: '500', 'Unit of Measure': 'kg',
      'Traceability Lot Code Source': '蒲江县猕猴桃专业合作社 鹤山冷库, 蒲江县鹤山街道工业园',
    });
    expect(harvest['Product Description']).toBe('蒲江猕猴桃 红阳');
    expect(cooling).toMatchObject({ 'Event Date': '2026-10-07', 'Event Time': '10:00:00+08:00', 'Cooling Location': '蒲江县猕猴桃专业合作社 鹤山冷库, 蒲江县鹤山街道工业园' });
    expect(packing).toMatchObject({ 'Initial Packing Date': '2026-10-08', 'Harvester Phone': '028-88001234', 'Cooling Date': '2026-10-07' });
    expect(shipping).toMatchObject({
      'Event Date': '2026-10-09', Quantity: '200', 'Reference Document Type': 'bill_of_lading', 'Reference Document Number': 'BOL-2026-1009',
      'Immediate Subsequent Recipient': '成都农产品中心批发市场, 成都市金牛区天回镇',
      'Dispatcher Name (EU 931/2011)': '蒲江县猕猴桃专业合作社', 'Dispatcher Address (EU 931/2011)': '四川省成都市蒲江县鹤山街道 8 号',
      'Consignee Name (EU 931/2011)': '成都农产品中心批发市场', 'Consignee Address (EU 931/2011)': '成都市金牛区天回镇',
    });
    // The date range is inclusive and in China dates: the shipment of 10-09 is outside 10-01…10-08.
    expect((await records(farm.token, gtin, 'from=2026-10-01&to=2026-10-08')).map((r) => r['Critical Tracking Event'])).not.toContain('Shipping');
  });

  it('the receiver\'s rows name the lot code received, the previous source and the transformation\'s inputs', async () => {
    const rows = await records(market.token, marketGtin);
    expect(rows.map((r) => r['Critical Tracking Event'])).toEqual(['Receiving', 'Transformation']);
    expect(rows[0]).toMatchObject({
      'Traceability Lot Code': lot.lotCode, 'Immediate Previous Source': '蒲江县猕猴桃专业合作社, 四川省成都市蒲江县鹤山街道 8 号',
      'Location Description': '成都农产品中心批发市场 金牛冷库, 金牛区天回镇 100 号',
      // The receiver's own document (§ 1.1345), not the shipper's bill of lading.
      'Reference Document Type': 'receiving_note', 'Reference Document Number': 'GRN 2026/1009-07',
      'Traceability Lot Code Source': '蒲江县猕猴桃专业合作社 鹤山冷库, 蒲江县鹤山街道工业园', GTIN: marketGtin,
    });
    expect(rows[1]['Traceability Lot Code']).toBe(madeLot);
    expect(rows[1]['Input Traceability Lot Codes']).toBe(`${inboundLot} (猕猴桃（批发）, 100 kg)`);
  });

  it('a receipt keeps its own reference document: in the API, and in EPCIS after the shipment\'s (CBV bizTransaction types)', async () => {
    expect(receipt).toMatchObject({
      referenceDocument: 'BOL-2026-1009', referenceDocumentType: 'bill_of_lading',
      receiptReferenceDocument: 'GRN 2026/1009-07', receiptReferenceDocumentType: 'receiving_note',
    });
    const listed = await t.http().get('/api/v1/shipments?direction=inbound').set(auth(market.token)).expect(200);
    expect(listed.body.items[0]).toMatchObject({ receiptReferenceDocument: 'GRN 2026/1009-07', receiptReferenceDocumentType: 'receiving_note' });
    const doc = await t.http().get('/api/v1/events?format=epcis&perPage=50').set(auth(market.token)).expect(200);
    const events = doc.body.epcisBody.eventList as Record<string, unknown>[];
    const base = t.config.publicBaseUrl;
    expect(events.find((e) => e.bizStep === 'receiving')!.bizTransactionList).toEqual([
      { type: 'bol', bizTransaction: `${base}/bol/BOL-2026-1009` },
      { type: 'recadv', bizTransaction: `${base}/recadv/GRN%202026%2F1009-07` },
    ]);
    expect(events.find((e) => e.bizStep === 'shipping')!.bizTransactionList).toEqual([{ type: 'bol', bizTransaction: `${base}/bol/BOL-2026-1009` }]);
    // The lot graph still names the shipment's document on the edge.
    const trace = await t.http().get(`/api/v1/batches/${receipt.receivedBatchId as string}/trace?direction=up`).set(auth(market.token)).expect(200);
    expect(trace.body.events.find((e: { kind: string }) => e.kind === 'shipment').referenceDocument).toBe('BOL-2026-1009');
  });

  it('the batch shows its KDEs: JSON view, the cooperative\'s console page and the regulator\'s dashboard page', async () => {
    const view = await t.http().get(`/api/v1/batches/${lot.id}`).set(auth(farm.token)).expect(200);
    expect(view.body).toMatchObject({
      harvestedOn: '2026-10-06', variety: '红阳', growingArea: '铁牛村 3 号地块', harvesterName: '西来镇采收服务队', harvesterPhone: '028-88001234',
      cooledAt: '2026-10-07T02:00:00.000Z', coolingSiteId: expect.any(String), tlcSourceSiteId: expect.any(String),
    });
    const facts = ['出口追溯关键数据（FSMA 204）', '2026-10-06', '红阳', '铁牛村 3 号地块', '西来镇采收服务队 · 028-88001234', '2026-10-07 10:00 · 鹤山冷库'];
    const coop = await consoleUser(t, farm.id, `fsma-farm-${Date.now()}`, 'Correct-Horse-9');
    const own = await coop.get(`/app/batches/${lot.id}`);
    expect(own.status).toBe(200);
    for (const fact of facts) expect(own.text).toContain(fact);
    const regulator = await createRegulator(t, '510000');
    const inspector = await consoleUser(t, regulator.id, `fsma-reg-${Date.now()}`, 'Correct-Horse-9', 'regulator');
    const page = await inspector.get(`/app/dashboard/batches/${lot.id}`);
    expect(page.status).toBe(200);
    for (const fact of facts) expect(page.text).toContain(fact);
    expect(page.text).toMatch(/批号赋予地点<\/span> 鹤山冷库/);

    // The console's sheet: the producer picks its product and dates; the regulator types the GTIN on the dashboard.
    const form = await coop.get('/app/shipments/fsma204');
    expect(form.status).toBe(200);
    expect(form.text).toContain(`<option value="${gtin}"`);
    const file = await coop.get(`/app/shipments/fsma204?gtin=${gtin}&fromDate=2026-10-01&toDate=2026-10-31&format=csv`);
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toContain(`fsma204-${gtin}-2026-10-01-2026-10-31.csv`);
    expect(readCsvRecords(file.text).map((r) => r.cells[0])).toEqual(['Critical Tracking Event', 'Harvesting', 'Cooling', 'Initial Packing', 'Shipping']);
    const wrong = await inspector.get(`/app/dashboard/fsma204?gtin=${gtin}&fromDate=2026-10-31&toDate=2026-10-01`);
    expect(wrong.status).toBe(422);
    expect(wrong.text).toMatch(/id="err-toDate"/);
  });

  it('is scoped: another organisation gets no rows, a regulator of the province gets everyone\'s', async () => {
    expect(await records(stranger.token)).toEqual([]);
    const regulator = await createRegulator(t, '510000');
    expect((await records(regulator.token)).map((r) => r['Critical Tracking Event'])).toEqual(['Harvesting', 'Cooling', 'Initial Packing', 'Shipping']);
    const county = await createRegulator(t, '510106');
    expect(await records(county.token)).toEqual([]);
  });

  it('CSV and XLSX carry the template columns in order, one row per event; bad requests name the field', async () => {
    const csv = await t.http().get(`/api/v1/fsma204/records?gtin=${gtin}&${range}`).set(auth(farm.token)).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const table = readCsvRecords(csv.text);
    expect(table[0].cells).toEqual([...FSMA_COLUMNS]);
    expect(table).toHaveLength(5);
    const xlsx = await t.http().get(`/api/v1/fsma204/records?gtin=${gtin}&${range}&format=xlsx`).set(auth(farm.token)).buffer(true)
      .parse((res, cb) => { const c: Buffer[] = []; res.on('data', (d: Buffer) => c.push(d)); res.on('end', () => cb(null, Buffer.concat(c))); }).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.getWorksheet('FSMA 204')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...FSMA_COLUMNS]);
    expect(sheet.rowCount).toBe(5);
    expect(sheet.getRow(2).getCell(4).value).toBe(lot.lotCode);

    for (const [query, field] of [[`gtin=123&${range}`, 'gtin'], [`gtin=${gtin}&from=2026-10-01`, 'to'], [`gtin=${gtin}&from=2026-10-31&to=2026-10-01`, 'to'],
      [`gtin=${gtin}&from=2024-01-01&to=2026-10-01`, 'to'], [`gtin=${gtin}&${range}&format=pdf`, 'format']]) {
      const bad = await t.http().get(`/api/v1/fsma204/records?${query}`).set(auth(farm.token)).expect(400);
      expect(bad.body.details.field).toBe(field);
    }
  });
});
