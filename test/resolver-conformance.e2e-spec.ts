import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { auth, createBatch, createOrg, createProduct, createSite, uniqueGtin13 } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

const FIXTURES = join(__dirname, 'fixtures', 'gs1-resolver');
const BASE = 'https://trace.example.cn';
const VOC = 'https://ref.gs1.org/voc/';

const validateLinkset = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(join(FIXTURES, 'gs1-linkset-schema.json'), 'utf8')) as object);

/**
 * Issue 15, item 3: every statement of GS1's resolver conformance list (test/fixtures/gs1-resolver/
 * Conformance1_2.txt, as GS1's resolver test suite checks them), one test each, plus the walk-up,
 * product-level and serial-only forms. Statements that do not apply are named in the last test.
 */
describe('GS1 Digital Link resolver conformance', () => {
  let t: TestApp;
  let gtin14: string;
  let lot: string;
  let batchCode: string;
  let item: string;
  let batchId: string;
  let productId: string;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    const org = await createOrg(t, { name: '蒲江县雀舌茶叶专业合作社' });
    const gtin = uniqueGtin13();
    gtin14 = `0${gtin}`;
    const product = await createProduct(t, org.token, { name: '蒲江雀舌', gtin, spec: '250g/罐' });
    const site = await createSite(t, org.token, { name: '成佳镇茶园', regionCode: '510131' });
    const batch = await createBatch(t, org.token, { productId: product.id, siteId: site.id, lotCode: 'QS2604A', producedOn: '2026-04-02' });
    lot = batch.lotCode;
    batchCode = batch.traceCode;
    batchId = batch.id;
    productId = product.id;
    token = org.token;
    const run = await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 2 }).expect(201);
    [{ code: item }] = await t.app.get(DataSource).query('SELECT code FROM trace_codes WHERE print_run_id = $1 ORDER BY serial', [run.body.id]);
  });
  afterAll(() => t.close());

  const lotPath = () => `/01/${gtin14}/10/${lot}`;
  const itemPath = () => `/01/${gtin14}/10/${lot}/21/${item}`;

  it('SHALL support HTTP GET, HEAD and OPTIONS', async () => {
    await t.http().get(lotPath()).expect(200);
    const head = await t.http().head(lotPath()).expect(200);
    expect(head.text ?? '').toBe('');
    const options = await t.http().options(lotPath()).set('Origin', 'https://app.example').set('Access-Control-Request-Method', 'GET').expect(204);
    expect(options.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
    expect(options.headers['access-control-allow-origin']).toBe('*');
  });

  it('SHALL support CORS: Access-Control-Allow-Origin: * on every public resolver answer, errors too', async () => {
    for (const [path, status] of [
      [lotPath(), 200], [`${lotPath()}?linkType=linkset`, 200], [`${lotPath()}?linkType=gs1:pip`, 307],
      [`${lotPath()}?linkType=gs1:allergenInfo`, 404], [`/01/${gtin14}/10/${lot}/foo`, 400], ['/.well-known/gs1resolver', 200],
    ] as const) {
      const res = await t.http().get(path).set('Origin', 'https://app.example');
      expect({ path, status: res.status, cors: res.headers['access-control-allow-origin'] }).toEqual({ path, status, cors: '*' });
    }
  });

  it('SHALL syntactically validate the URI and report errors with 400 (never 200 for an error)', async () => {
    for (const path of [
      `/01/${gtin14}/10/${lot}/foo`, // the test suite's own probe: an odd path segment
      `/01/${gtin14.slice(0, 13)}${(Number(gtin14[13]) + 1) % 10}/10/${lot}`, // check digit
      `/01/${gtin14}/21/${item}/10/${lot}`, // qualifier order
      `${lotPath()}?17=261331`, // data attribute: no 31st of a 13th month
      `${lotPath()}?3103=25`, // net weight needs 6 digits
      `${lotPath()}?9999=1`, // no such AI
      `${lotPath()}?10=${lot}`, // a key qualifier is no data attribute
    ]) {
      const res = await t.http().get(path).set('Accept', 'application/json');
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
    // valid data attributes from the GS1 AI dictionary are accepted
    await t.http().get(`${lotPath()}?17=261231&3103=000250&7007=260401&11=260402`).expect(200);
  });

  it('SHALL return the linkset for linkType=linkset (RFC 9264, valid against GS1\'s linkset schema), with every level up to the primary key', async () => {
    const res = await t.http().get(`${itemPath()}?linkType=linkset`).expect(200);
    expect(res.headers['content-type']).toContain('application/linkset+json');
    expect(validateLinkset(res.body)).toBe(true);
    expect(res.body.linkset.map((e: { anchor: string }) => e.anchor)).toEqual([`${BASE}${itemPath()}`, `${BASE}${lotPath()}`, `${BASE}/01/${gtin14}`]);
    for (const entry of res.body.linkset) expect(entry.itemDescription).toContain('蒲江雀舌');
    // the same through the Accept header, and the deprecated linkType=all
    const viaAccept = await t.http().get(itemPath()).set('Accept', 'application/linkset+json').expect(200);
    expect(viaAccept.body).toEqual(res.body);
    expect((await t.http().get(`${itemPath()}?linkType=all`).expect(200)).body).toEqual(res.body);
    // GS1's own model linkset passes the same schema (the validator is no pushover)
    expect(validateLinkset(JSON.parse(readFileSync(join(FIXTURES, 'modelLinkset.json'), 'utf8')))).toBe(true);
    expect(validateLinkset({ linkset: [{ anchor: `${BASE}${lotPath()}`, [`${VOC}pip`]: [{ href: `${BASE}/t/x` }] }] })).toBe(false); // no title
  });

  it('SHOULD expose the linkset in a Link header, redirects included', async () => {
    for (const path of [lotPath(), `${lotPath()}?linkType=gs1:traceability`, `/01/${gtin14}`]) {
      const res = await t.http().get(path);
      expect(res.headers.link).toMatch(/rel="linkset"/);
    }
  });

  it('SHALL recognise one default link, with title and href only', async () => {
    const { body } = await t.http().get(`${lotPath()}?linkType=linkset`).expect(200);
    const defaults = body.linkset.flatMap((e: Record<string, unknown>) => (e[`${VOC}defaultLink`] as unknown[] | undefined) ?? []);
    expect(defaults).toEqual([{ href: `${BASE}/t/${batchCode}#origin`, title: '批次追溯信息' }]);
  });

  it('all links SHALL have a target URL, a link type in the GS1 Web vocabulary namespace and a title', async () => {
    const { body } = await t.http().get(`${itemPath()}?linkType=linkset`).expect(200);
    for (const entry of body.linkset as Record<string, unknown>[]) {
      for (const [key, links] of Object.entries(entry).filter(([k]) => k !== 'anchor' && k !== 'itemDescription')) {
        expect(key.startsWith(VOC)).toBe(true);
        for (const link of links as { href: string; title: string }[]) expect(link).toEqual(expect.objectContaining({ href: expect.stringMatching(/^https:\/\//), title: expect.any(String) }));
      }
    }
    const types = Object.keys(body.linkset[1]);
    expect(types).toEqual(expect.arrayContaining([`${VOC}traceability`, `${VOC}pip`, `${VOC}recallStatus`, `${VOC}epcis`]));
  });

  it('serves the default link\'s page directly instead of redirecting to it (documented choice, one hop fewer)', async () => {
    const res = await t.http().get(lotPath()).expect(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('蒲江雀舌');
  });

  it('SHALL redirect (307) to the requested link type when offered, whatever the spelling of the type', async () => {
    const expected: [string, string][] = [
      ['gs1:traceability', `${BASE}/t/${batchCode}#origin`],
      ['gs1:pip', `${BASE}/t/${batchCode}#product`],
      ['gs1:recallStatus', `${BASE}/t/${batchCode}#product`],
      [`${VOC}traceability`, `${BASE}/t/${batchCode}#origin`],
      ['https://gs1.org/voc/pip', `${BASE}/t/${batchCode}#product`],
      ['gs1:epcis', `${BASE}/api/v1/events?format=epcis&MATCH_epcClass=${encodeURIComponent(`${BASE}${lotPath()}`)}`],
    ];
    for (const [linkType, location] of expected) {
      const res = await t.http().get(lotPath()).query({ linkType }).expect(307);
      expect({ linkType, location: res.headers.location }).toEqual({ linkType, location });
    }
    // the item's own link is the most specific
    expect((await t.http().get(`${itemPath()}?linkType=gs1:traceability`).expect(307)).headers.location).toBe(`${BASE}/t/${item}#origin`);
  });

  it('answers 404 for a link type that is not offered', async () => {
    await t.http().get(`${lotPath()}?linkType=gs1:allergenInfo`).expect(404);
    await t.http().get(`${lotPath()}?linkType=gs1:certificationInfo`).expect(404); // no valid 承诺达标合格证 yet
    await t.http().get(`/01/${gtin14}?linkType=gs1:traceability`).expect(404); // a product has no trace page
  });

  it('SHALL pass on the query string\'s key=value pairs when redirecting', async () => {
    const res = await t.http().get(`${lotPath()}?linkType=gs1:pip&17=261231&context=CN&utm_source=qr`).expect(307);
    expect(res.headers.location).toBe(`${BASE}/t/${batchCode}?17=261231&context=CN&utm_source=qr#product`);
  });

  it('SHALL provide a resolver description file at /.well-known/gs1resolver', async () => {
    const res = await t.http().get('/.well-known/gs1resolver').expect(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.body).toMatchObject({
      resolverRoot: BASE, supportedPrimaryKeys: ['01'], linkTypeDefaultCanBeLinkset: true,
      supportedLinkTypes: [expect.objectContaining({ namespace: VOC, prefix: 'gs1:' })],
    });
    expect(res.body.name).toEqual(expect.any(String));
  });

  it('SHOULD tolerate a trailing slash', async () => {
    const withSlash = await t.http().get(`${lotPath()}/`).set('Accept', 'application/json').expect(200);
    const without = await t.http().get(lotPath()).set('Accept', 'application/json').expect(200);
    expect(withSlash.body.code).toBe(without.body.code);
  });

  it('SHALL support all key qualifiers: /01/{gtin}/21/{serial} resolves the item, an unknown lot or serial walks up', async () => {
    const serialOnly = await t.http().get(`/01/${gtin14}/21/${item}`).set('Accept', 'application/json').expect(200);
    expect(serialOnly.body).toMatchObject({ code: item, kind: 'item' });
    const unknownLot = await t.http().get(`/01/${gtin14}/10/NOSUCHLOT`).set('Accept', 'application/json').expect(200);
    expect(unknownLot.body).toMatchObject({ level: 'product', walkedUp: true, product: { name: '蒲江雀舌' } });
    const unknownSerial = await t.http().get(`${lotPath()}/21/NOSUCHSERIAL1`).set('Accept', 'application/json').expect(200);
    expect(unknownSerial.body).toMatchObject({ code: batchCode, kind: 'batch' });
    const cpv = await t.http().get(`/01/${gtin14}/22/RED/10/${lot}`).set('Accept', 'application/json').expect(200);
    expect(cpv.body).toMatchObject({ code: batchCode });
    await t.http().get(`/01/0${uniqueGtin13()}`).expect(404);
  });

  it('serves the product level at /01/{gtin}: a page and a linkset', async () => {
    const page = await t.http().get(`/01/${gtin14}`).expect(200);
    expect(page.text).toContain('蒲江雀舌');
    expect(page.text).toContain('250g/罐');
    const set = await t.http().get(`/01/${gtin14}?linkType=linkset`).expect(200);
    expect(validateLinkset(set.body)).toBe(true);
    expect(set.body.linkset).toEqual([{
      anchor: `${BASE}/01/${gtin14}`, itemDescription: '蒲江雀舌',
      [`${VOC}pip`]: [{ href: `${BASE}/01/${gtin14}`, title: '产品信息', type: 'text/html', hreflang: ['zh-CN'] }],
      [`${VOC}defaultLink`]: [{ href: `${BASE}/01/${gtin14}`, title: '产品信息' }],
    }]);
  });

  // Answers are kept per path (a repeated scan skips parsing and lookups), but never past a batch change.
  it('answers for a lot created after a scan walked up from it, and shows a hold at once on pages it answered before', async () => {
    const walked = await t.http().get(`/01/${gtin14}/10/QS2612Z`).set('Accept', 'application/json').expect(200);
    expect(walked.body).toMatchObject({ level: 'product', walkedUp: true });
    const site = await createSite(t, token, { name: '成佳镇二号茶园', regionCode: '510131' });
    await createBatch(t, token, { productId, siteId: site.id, lotCode: 'QS2612Z', producedOn: '2026-04-03' });
    const found = await t.http().get(`/01/${gtin14}/10/QS2612Z`).set('Accept', 'application/json').expect(200);
    expect(found.body).toMatchObject({ batch: { lotCode: 'QS2612Z' } });

    for (const path of [lotPath(), itemPath()]) expect((await t.http().get(path).expect(200)).text).not.toContain('暂停销售');
    await t.http().get(`${lotPath()}?linkType=linkset`).expect(200);
    await t.http().post(`/api/v1/batches/${batchId}/status`).set(auth(token)).send({ status: 'on_hold', reason: '抽检不合格 复检中' }).expect(201);
    for (const path of [lotPath(), itemPath()]) expect((await t.http().get(path).expect(200)).text).toContain('该批次产品暂停销售');
    expect((await t.http().get(lotPath()).set('Accept', 'application/json').expect(200)).body.status).toBe('on_hold');
  });

  it('names the statements that do not apply here', () => {
    const statements = readFileSync(join(FIXTURES, 'Conformance1_2.txt'), 'utf8').trim().split('\n');
    const notApplicable = statements.filter((s) => /HTTPS|decompress|compressed request|handledBy/.test(s));
    // HTTPS: TLS ends at the reverse proxy (PUBLIC_BASE_URL is https in production);
    // compression: we print uncompressed links and do not decompress others (not done);
    // gs1:handledBy: we do not redirect by company prefix.
    expect(notApplicable).toHaveLength(4);
    expect(statements.length - notApplicable.length).toBe(statements.length - 4);
  });
});
