import { DataSource } from 'typeorm';
import { isValidSscc } from '../libs/codes';
import { contextPrefixes, eventHashId, schemaProblems } from '../libs/epcis';
import { pdfBarcodes, requirePoppler, requireZbar, zbarDecodePng, zplBoxesPng } from '../libs/testing/raster';
import { ConsoleClient, consoleUser } from './support/console';
import { auth, createBatch, createOrg, createProduct, createSite, uniqueGtin13, uniqueUscc } from './support/factories';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

/**
 * Issue 15, item 4: SSCC allocation (unique, never reused, from the organisation's GS1 company prefix),
 * lots packed on SSCCs (AggregationEvent ADD/DELETE), shipping by SSCC, receiving by scanning it, and
 * the GS1 logistic label decoded with zbar.
 */
describe('SSCC allocation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('allocates SSCCs from the company prefix: valid, consecutive, unique under concurrency, never reused', async () => {
    const org = await createOrg(t, { name: '蒲江县物流合作社', gs1CompanyPrefix: '6901234' });
    const first = await t.http().post('/api/v1/ssccs').set(auth(org.token)).send({ count: 3 }).expect(201);
    expect(first.body.ssccs.map((s: string) => s.slice(0, 8))).toEqual(['06901234', '06901234', '06901234']);
    for (const s of first.body.ssccs) expect(isValidSscc(s)).toBe(true);
    expect(first.body.ssccs.map((s: string) => s.slice(8, 17))).toEqual(['000000000', '000000001', '000000002']);
    const parallel = await Promise.all(Array.from({ length: 8 }, () => t.http().post('/api/v1/ssccs').set(auth(org.token)).send({ count: 25 })));
    const all = [...first.body.ssccs, ...parallel.flatMap((r) => { expect(r.status).toBe(201); return r.body.ssccs as string[]; })];
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(203);
    const other = await t.http().post('/api/v1/ssccs').set(auth(org.token)).send({ count: 1, extensionDigit: 7 }).expect(201);
    expect(other.body.ssccs[0]).toMatch(/^76901234000000000\d$/);
    const [{ n }] = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM ssccs');
    expect(n).toBe(204);
    const one = await t.http().get(`/api/v1/ssccs/${all[5]}`).set(auth(org.token)).expect(200);
    expect(one.body.sscc).toBe(all[5]);
  });

  it('refuses without a company prefix, bad input, and another organisation\'s SSCC', async () => {
    const noPrefix = await createOrg(t, { name: '无厂商识别代码合作社' });
    const refused = await t.http().post('/api/v1/ssccs').set(auth(noPrefix.token)).send({}).expect(422);
    expect(refused.body).toMatchObject({ code: 'NO_COMPANY_PREFIX', details: { field: 'gs1CompanyPrefix' } });
    const org = await createOrg(t, { name: '另一家物流合作社', gs1CompanyPrefix: '690123456' });
    await t.http().post('/api/v1/ssccs').set(auth(org.token)).send({ count: 1001 }).expect(400);
    await t.http().post('/api/v1/ssccs').set(auth(org.token)).send({ extensionDigit: 10 }).expect(400);
    const [mine] = (await t.http().post('/api/v1/ssccs').set(auth(org.token)).send({}).expect(201)).body.ssccs as string[];
    await t.http().get(`/api/v1/ssccs/${mine}`).set(auth(noPrefix.token)).expect(404);
    await t.http().get('/api/v1/ssccs/123').set(auth(org.token)).expect(400);
    const bad = await t.http().post('/api/v1/organizations').set(auth(ADMIN_TOKEN))
      .send({ name: '前缀错误合作社', kind: 'cooperative', regionCode: '510131', uscc: uniqueUscc(), gs1CompanyPrefix: '12345' }).expect(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_GS1_COMPANY_PREFIX', details: { field: 'gs1CompanyPrefix' } });
  });

  describe('lots packed on SSCCs, shipped and received by scanning', () => {
    let shipper: Awaited<ReturnType<typeof createOrg>>;
    let receiver: Awaited<ReturnType<typeof createOrg>>;
    let kiwi: { id: string; gtin: string | null };
    let lotA: Awaited<ReturnType<typeof createBatch>>;
    let lotB: Awaited<ReturnType<typeof createBatch>>;
    let sscc: string;
    let receiverSite: { id: string };
    const gtin = `0${uniqueGtin13()}`;
    /** A new SSCC of the shipper's with these lots packed on it (kg each), shipped to `to`. */
    const shippedUnit = async (to: string, lots: [{ id: string }, string][], shipment: Record<string, string> = {}) => {
      const [unit] = (await t.http().post('/api/v1/ssccs').set(auth(shipper.token)).send({}).expect(201)).body.ssccs as string[];
      await t.http().post(`/api/v1/ssccs/${unit}/contents`).set(auth(shipper.token))
        .send({ lots: lots.map(([lot, kg]) => ({ batchId: lot.id, quantity: { value: kg, unit: 'kg' } })) }).expect(201);
      await t.http().post(`/api/v1/ssccs/${unit}/shipment`).set(auth(shipper.token)).send({ toOrganizationId: to, ...shipment }).expect(201);
      return unit;
    };

    beforeAll(async () => {
      requirePoppler();
      requireZbar();
      shipper = await createOrg(t, { name: '蒲江县猕猴桃专业合作社', gs1CompanyPrefix: '6909876', address: '四川省成都市蒲江县鹤山街道', gln: '6909876000005' });
      receiver = await createOrg(t, { name: '成都农产品中心批发市场', address: '成都市金牛区', regionCode: '510106' });
      kiwi = await createProduct(t, shipper.token, { gtin });
      const site = await createSite(t, shipper.token);
      lotA = await createBatch(t, shipper.token, { productId: kiwi.id, siteId: site.id, quantity: { value: '500', unit: 'kg' } });
      lotB = await createBatch(t, shipper.token, { productId: kiwi.id, siteId: site.id, quantity: { value: '300', unit: 'kg' } });
      await createProduct(t, receiver.token, { gtin, name: '猕猴桃（批发）' });
      receiverSite = await createSite(t, receiver.token, { name: '金牛冷库', regionCode: '510106' });
      sscc = (await t.http().post('/api/v1/ssccs').set(auth(shipper.token)).send({}).expect(201)).body.ssccs[0];
    });

    it('packs lots (AggregationEvent ADD), unpacks (DELETE), refuses more than a lot has, and prints a label zbar reads back', async () => {
      const packed = await t.http().post(`/api/v1/ssccs/${sscc}/contents`).set(auth(shipper.token)).set('Idempotency-Key', 'pack-1')
        .send({ lots: [{ batchId: lotA.id, quantity: { value: '200', unit: 'kg' } }, { batchId: lotB.id, quantity: { value: '100', unit: 'kg' } }] }).expect(201);
      expect(packed.body.contents.map((c: { batchId: string }) => c.batchId).sort()).toEqual([lotA.id, lotB.id].sort());
      const again = await t.http().post(`/api/v1/ssccs/${sscc}/contents`).set(auth(shipper.token)).set('Idempotency-Key', 'pack-1')
        .send({ lots: [{ batchId: lotA.id, quantity: { value: '200', unit: 'kg' } }, { batchId: lotB.id, quantity: { value: '100', unit: 'kg' } }] }).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.eventID).toBe(packed.body.eventID);
      await t.http().post(`/api/v1/ssccs/${sscc}/contents`).set(auth(shipper.token))
        .send({ lots: [{ batchId: lotA.id, quantity: { value: '1', unit: 'kg' } }] }).expect(409).expect((r) => expect(r.body.code).toBe('LOT_ALREADY_PACKED'));
      // 300 kg of lot A are on no unit; a second unit cannot take 301 kg of it (200 are on the first).
      const [other] = (await t.http().post('/api/v1/ssccs').set(auth(shipper.token)).send({}).expect(201)).body.ssccs as string[];
      const over = await t.http().post(`/api/v1/ssccs/${other}/contents`).set(auth(shipper.token))
        .send({ lots: [{ batchId: lotA.id, quantity: { value: '301', unit: 'kg' } }] }).expect(422);
      expect(over.body).toMatchObject({ code: 'INSUFFICIENT_QUANTITY', details: { field: 'lots[0].quantity' } });
      // Nor can a plain shipment or a transformation take what is packed on a unit not yet shipped.
      const direct = await t.http().post('/api/v1/shipments').set(auth(shipper.token))
        .send({ batchId: lotA.id, toOrganizationId: receiver.id, quantity: { value: '301', unit: 'kg' } }).expect(422);
      expect(direct.body.code).toBe('INSUFFICIENT_QUANTITY');
      // Another organisation's lot is not found; another organisation cannot pack onto this unit.
      await t.http().post(`/api/v1/ssccs/${sscc}/contents`).set(auth(receiver.token))
        .send({ lots: [{ batchId: lotA.id, quantity: { value: '1', unit: 'kg' } }] }).expect(404);

      const unpacked = await t.http().delete(`/api/v1/ssccs/${sscc}/contents/${lotB.id}`).set(auth(shipper.token)).expect(200);
      expect(unpacked.body.contents.map((c: { batchId: string }) => c.batchId)).toEqual([lotA.id]);
      await t.http().delete(`/api/v1/ssccs/${sscc}/contents/${lotB.id}`).set(auth(shipper.token)).expect(404);

      const pdf = await t.http().get(`/api/v1/ssccs/${sscc}/label.pdf`).set(auth(shipper.token)).buffer(true)
        .parse((res, cb) => { const c: Buffer[] = []; res.on('data', (d: Buffer) => c.push(d)); res.on('end', () => cb(null, Buffer.concat(c))); }).expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const [page] = pdfBarcodes(pdf.body as Buffer, 203);
      expect(page.sort()).toEqual([`00${sscc}`, `02${gtin}310000020010${lotA.lotCode}`].sort());
      const zpl = await t.http().get(`/api/v1/ssccs/${sscc}/label.zpl`).set(auth(shipper.token)).expect(200);
      expect(zbarDecodePng(zplBoxesPng(zpl.text, 800, 1200))).toContain(`00${sscc}`);
      await t.http().get(`/api/v1/ssccs/${sscc}/label.pdf`).set(auth(receiver.token)).expect(404);
    });

    it('ships by SSCC (the lots follow) and the receiver scans it: every lot booked once, another org\'s SSCC 404, twice idempotent', async () => {
      await t.http().post(`/api/v1/ssccs/${sscc}/contents`).set(auth(shipper.token))
        .send({ lots: [{ batchId: lotB.id, quantity: { value: '50', unit: 'kg' } }] }).expect(201);
      const shipped = await t.http().post(`/api/v1/ssccs/${sscc}/shipment`).set(auth(shipper.token))
        .send({ toOrganizationId: receiver.id, referenceDocument: 'WB-2026-0042', referenceDocumentType: 'waybill' }).expect(201);
      expect(shipped.body.shipments).toHaveLength(2);
      await t.http().post(`/api/v1/ssccs/${sscc}/contents`).set(auth(shipper.token))
        .send({ lots: [{ batchId: lotB.id, quantity: { value: '1', unit: 'kg' } }] }).expect(409).expect((r) => expect(r.body.code).toBe('SSCC_NOT_OPEN'));
      const outbound = await t.http().get('/api/v1/shipments?direction=outbound').set(auth(shipper.token)).expect(200);
      expect(outbound.body.items.filter((s: { eventID: string }) => s.eventID === shipped.body.eventID)).toHaveLength(2);

      // The shipper cannot receive its own unit; an SSCC never shipped to the receiver is 404.
      await t.http().post(`/api/v1/ssccs/${sscc}/receipt`).set(auth(shipper.token)).send({ siteId: receiverSite.id }).expect(404);
      const [stranger] = (await t.http().post('/api/v1/ssccs').set(auth(shipper.token)).send({}).expect(201)).body.ssccs as string[];
      const foreign = await t.http().post(`/api/v1/ssccs/${stranger}/receipt`).set(auth(receiver.token)).send({ siteId: receiverSite.id }).expect(404);
      expect(foreign.body.code).toBe('SSCC_NOT_FOUND');

      // Scanned as the GS1-128 element string with its AI in parentheses.
      const scan = encodeURIComponent(`(00)${sscc}`);
      const received = await t.http().post(`/api/v1/ssccs/${scan}/receipt`).set(auth(receiver.token))
        .send({ siteId: receiverSite.id, referenceDocument: 'RN-0042', referenceDocumentType: 'receiving_note' }).expect(201);
      expect(received.body.lots).toHaveLength(2);
      expect(received.body.lots.map((l: { fromBatchId: string }) => l.fromBatchId).sort()).toEqual([lotA.id, lotB.id].sort());
      const twice = await t.http().post(`/api/v1/ssccs/${sscc}/receipt`).set(auth(receiver.token)).send({ siteId: receiverSite.id }).expect(201);
      expect(twice.headers['idempotent-replayed']).toBe('true');
      expect(twice.body).toEqual(received.body);
      const db = t.app.get(DataSource);
      const [{ n }] = await db.query('SELECT count(*)::int AS n FROM batches WHERE organization_id = $1', [receiver.id]);
      expect(n).toBe(2);
      const inbound = received.body.lots.find((l: { fromBatchId: string }) => l.fromBatchId === lotA.id).receivedBatch.id;
      const trace = await t.http().get(`/api/v1/batches/${inbound}/trace?direction=up`).set(auth(receiver.token)).expect(200);
      expect(trace.body.lots.map((l: { id: string }) => l.id)).toContain(lotA.id);

      // EPCIS export: packing, unpacking, shipping and receiving, schema-valid, each with the hash ID it is stored under.
      const doc = await t.http().get('/api/v1/events?format=epcis&perPage=50').set(auth(shipper.token)).expect(200);
      expect(schemaProblems(doc.body)).toEqual([]);
      const events = doc.body.epcisBody.eventList as Record<string, unknown>[];
      const unit = `https://id.gs1.org/00/${sscc}`;
      const aggregations = events.filter((e) => e.type === 'AggregationEvent' && e.parentID === unit);
      expect(aggregations.map((e) => `${e.action}:${e.bizStep}`).sort()).toEqual(['ADD:packing', 'ADD:packing', 'DELETE:unpacking']);
      const ship = events.find((e) => e.eventID === shipped.body.eventID)!;
      expect(ship).toMatchObject({ epcList: [unit], bizStep: 'shipping', action: 'OBSERVE' });
      expect(ship.quantityList).toHaveLength(2);
      const receipt = events.find((e) => e.eventID === received.body.eventID)!;
      expect(receipt).toMatchObject({ epcList: [unit], bizStep: 'receiving', action: 'ADD' });
      // The waybill as a CBV bill of lading, then the receiver's own receiving note (FSMA 204 reference documents).
      const base = t.config.publicBaseUrl;
      expect(ship.bizTransactionList).toEqual([{ type: 'bol', bizTransaction: `${base}/bol/WB-2026-0042` }]);
      expect(receipt.bizTransactionList).toEqual([{ type: 'bol', bizTransaction: `${base}/bol/WB-2026-0042` }, { type: 'recadv', bizTransaction: `${base}/recadv/RN-0042` }]);
      const [{ docs }] = await db.query(`SELECT array_agg(DISTINCT receipt_reference_document || ':' || receipt_reference_document_type) AS docs FROM shipments WHERE sscc = $1`, [sscc]);
      expect(docs).toEqual(['RN-0042:receiving_note']);
      const prefixes = contextPrefixes(doc.body['@context']);
      for (const e of [...aggregations, ship, receipt]) expect(eventHashId(e, prefixes)).toBe(e.eventID);
      const [{ shipper: sgln }] = await db.query(`SELECT document->'sourceList'->0->>'source' AS shipper FROM epcis_events WHERE event_id = $1`, [shipped.body.eventID]);
      expect(sgln).toBe('https://id.gs1.org/417/6909876000005');
    });

    it('console: the receiver scans the SSCC, sees what is on it, maps its products and receives it once; others get 404', async () => {
      const buyer = await createOrg(t, { name: '成都市果品批发有限公司', kind: 'purchaser', regionCode: '510106' });
      const ownKiwi = await createProduct(t, buyer.token, { gtin, name: '批发猕猴桃' });
      const ownOther = await createProduct(t, buyer.token, { name: '散装鲜果' });
      const cold = await createSite(t, buyer.token, { name: '金牛二号冷库', regionCode: '510106' });
      const plain = await createProduct(t, shipper.token, { name: '无条码猕猴桃' });
      const lotC = await createBatch(t, shipper.token, { productId: kiwi.id, quantity: { value: '100', unit: 'kg' } });
      const lotD = await createBatch(t, shipper.token, { productId: plain.id, quantity: { value: '80', unit: 'kg' } });
      const unit = await shippedUnit(buyer.id, [[lotC, '20'], [lotD, '10']], { referenceDocument: 'WB-2026-0777', referenceDocumentType: 'waybill' });
      const stamp = Date.now();
      const person = await consoleUser(t, buyer.id, `rcv-${stamp}`, 'Correct-Horse-9', 'operator');

      // From the shipments workspace to the scan page, which lists the unit on its way here.
      expect((await person.get('/app/shipments')).text).toContain('href="/app/shipments/receive"');
      const scanPage = await person.get('/app/shipments/receive');
      expect(scanPage.status).toBe(200);
      expect(scanPage.text).toContain(`href="/app/shipments/receive?sscc=${unit}"`);
      expect(scanPage.text).toMatch(/<input[^>]*name="sscc"[^>]*autofocus/);

      // A mistyped SSCC names the field; one not shipped here (never shipped, or another's) is 404, with a message, not a page of its own.
      const typo = await person.get(`/app/shipments/receive?sscc=${unit.slice(0, 17)}${(Number(unit[17]) + 1) % 10}`);
      expect(typo.status).toBe(422);
      expect(typo.text).toMatch(/data-field="sscc">SSCC 无效/);
      // NUL bytes and lone surrogates are clear 4xx answers, never a 500.
      const statuses = [];
      for (const bad of ['%00', '%ED%A0%80', `${unit}%00`]) statuses.push((await person.get(`/app/shipments/receive?sscc=${bad}`)).status);
      expect(statuses).toEqual([400, 422, 400]); // NUL: the global guard (400); the rest names the field
      const [unshipped] = (await t.http().post('/api/v1/ssccs').set(auth(shipper.token)).send({}).expect(201)).body.ssccs as string[];
      const notHere = await person.get(`/app/shipments/receive?sscc=${unshipped}`);
      expect(notHere.status).toBe(404);
      expect(notHere.text).toMatch(/data-field="sscc">没有发往本单位的这个物流单元/);
      for (const other of [await consoleUser(t, receiver.id, `other-${stamp}`, 'Correct-Horse-9', 'operator'), await consoleUser(t, shipper.id, `sender-${stamp}`, 'Correct-Horse-9', 'operator')]) {
        const res = await other.get(`/app/shipments/receive?sscc=${unit}`);
        expect(res.status).toBe(404);
        expect(res.text).not.toContain('WB-2026-0777');
        const csrf = ConsoleClient.hidden((await other.get('/app/shipments/receive')).text, '/app/logout');
        expect((await other.post(`/app/shipments/receive/${unit}`, { ...csrf, siteId: cold.id })).status).toBe(404);
      }
      expect((await person.post('/app/shipments/receive/123', ConsoleClient.hidden(scanPage.text, '/app/logout'))).text).toMatch(/data-field="sscc">SSCC 无效/);

      // Scanned as the element string: the unit as the receiver sees it, the lot with a GTIN preselected as the receiver's product.
      const path = `/app/shipments/receive?sscc=${encodeURIComponent(`(00)${unit}`)}`;
      const found = await person.get(path);
      expect(found.status).toBe(200);
      for (const text of ['蒲江县猕猴桃专业合作社', lotC.lotCode, lotD.lotCode, '20 kg', '10 kg', '运单 WB-2026-0777', '无条码猕猴桃']) expect(found.text).toContain(text);
      const action = `/app/shipments/receive/${unit}`;
      // Each lot's row (the unit's order): its product select, named by the lot in its label.
      const rows = new Map([...found.text.matchAll(/<span>[^<]* · (\w+) 入库为本单位产品[\s\S]*?<select name="(products\[\d\]\.productId)"/g)].map((m) => [m[1], m[2]]));
      const [kiwiRow, plainRow] = [rows.get(lotC.lotCode)!, rows.get(lotD.lotCode)!];
      expect([...rows.values()].sort()).toEqual(['products[0].productId', 'products[1].productId']);
      expect(found.text).toMatch(new RegExp(`name="${kiwiRow.replace(/[[\].]/g, '\\$&')}"[^>]*>(?:(?!</select>)[\\s\\S])*value="${ownKiwi.id}" selected`));
      const form = { ...ConsoleClient.hidden(found.text, action), siteId: cold.id, [kiwiRow]: ownKiwi.id, receivedAt: '', referenceDocument: 'RN-0777', referenceDocumentType: 'receiving_note' };

      // The lot without a GTIN has to be mapped; a receipt before the unit left is refused at its field.
      const unmapped = await person.post(action, { ...form, [plainRow]: '' }, path);
      expect(unmapped.status).toBe(422);
      expect(unmapped.text).toContain(`data-field="${plainRow}"`);
      const early = await person.post(action, { ...form, [plainRow]: ownOther.id, receivedAt: '2020-01-01T08:00' }, path);
      expect(early.status).toBe(422);
      expect(early.text).toMatch(/data-field="receivedAt">收货时间不能早于发货时间/);

      // A double submit (the same form sent twice at once) receives once.
      const done = { ...form, [plainRow]: ownOther.id };
      const [first, second] = await Promise.all([person.post(action, done, path), person.post(action, done, path)]);
      expect([first.status, second.status]).toEqual([303, 303]);
      expect(first.headers.location).toBe(`/app/shipments/receive?sscc=${unit}&received=1`);
      expect(second.headers.location).toBe(first.headers.location);
      expect((await person.post(action, done, path)).headers.location).toBe(first.headers.location);
      const db = t.app.get(DataSource);
      const booked = await db.query('SELECT id, product_id AS "productId" FROM batches WHERE organization_id = $1 ORDER BY product_id = $2 DESC', [buyer.id, ownKiwi.id]) as { id: string; productId: string }[];
      expect(booked.map((b) => b.productId)).toEqual([ownKiwi.id, ownOther.id]);
      const [{ docs }] = await db.query(`SELECT array_agg(DISTINCT receipt_reference_document || ':' || receipt_reference_document_type) AS docs FROM shipments WHERE sscc = $1`, [unit]);
      expect(docs).toEqual(['RN-0777:receiving_note']);

      // The receipt: each inbound lot links to its batch page; no form any more.
      const receipt = await person.get(first.headers.location as string);
      expect(receipt.status).toBe(200);
      expect(receipt.text).toContain('已收货');
      for (const b of booked) expect(receipt.text).toContain(`href="/app/batches/${b.id}"`);
      expect(receipt.text).not.toContain(`action="${action}"`);
      expect((await person.get('/app/shipments/receive')).text).not.toContain(`?sscc=${unit}`);
    });

    it('receives a unit one of whose lots was received on its own: no product asked for that lot, the unit ends received', async () => {
      // lotE has no GTIN: a receipt of the whole unit could only book it with a product named for it.
      const loose = await createProduct(t, shipper.token, { name: '散装猕猴桃（无条码）' });
      const lotE = await createBatch(t, shipper.token, { productId: loose.id, quantity: { value: '60', unit: 'kg' } });
      const lotF = await createBatch(t, shipper.token, { productId: kiwi.id, quantity: { value: '40', unit: 'kg' } });
      const unit = await shippedUnit(receiver.id, [[lotE, '6'], [lotF, '4']]);
      const [first] = await t.app.get(DataSource).query('SELECT id FROM shipments WHERE sscc = $1 AND from_batch_id = $2', [unit, lotE.id]) as { id: string }[];
      const plain = await createProduct(t, receiver.token, { name: '散装猕猴桃' });
      await t.http().post(`/api/v1/shipments/${first.id}/receipt`).set(auth(receiver.token)).send({ productId: plain.id, siteId: receiverSite.id }).expect(201);

      const stamp = Date.now();
      const person = await consoleUser(t, receiver.id, `part-${stamp}`, 'Correct-Horse-9', 'operator');
      const page = await person.get(`/app/shipments/receive?sscc=${unit}`);
      expect(page.status).toBe(200);
      expect(page.text.match(/name="products\[\d+\]\.productId"/g)).toHaveLength(1);
      // The other lot maps by GTIN; the unit is received and its status says so.
      const received = await t.http().post(`/api/v1/ssccs/${unit}/receipt`).set(auth(receiver.token)).send({ siteId: receiverSite.id }).expect(201);
      expect(received.body.lots.map((l: { fromBatchId: string }) => l.fromBatchId).sort()).toEqual([lotE.id, lotF.id].sort());
      const [{ status }] = await t.app.get(DataSource).query('SELECT status FROM ssccs WHERE sscc = $1', [unit]);
      expect(status).toBe('received');
      const [{ n }] = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM shipments WHERE sscc = $1 AND status = $2', [unit, 'received']);
      expect(n).toBe(2);
    });
  });
});
