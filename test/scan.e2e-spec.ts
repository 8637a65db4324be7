import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { ScanRecorder } from '../src/modules/scan/scan-recorder';
import { auth, createBatch, createOrg, createProduct, createSite, uniqueGtin13 } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.47';

describe('consumer scan and the Digital Link resolver', () => {
  let t: TestApp;
  let db: DataSource;
  let org: Awaited<ReturnType<typeof createOrg>>;
  let gtin14: string;
  let batch: Awaited<ReturnType<typeof createBatch>>;
  let items: { code: string; serial: number }[];

  beforeAll(async () => {
    t = await createTestApp({ SCAN_COPY_WARN_THRESHOLD: '3', TRUST_PROXY: 'true' });
    db = t.app.get(DataSource);
    org = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    const gtin = uniqueGtin13();
    gtin14 = `0${gtin}`;
    const product = await createProduct(t, org.token, { name: '蒲江猕猴桃（红阳）', gtin, spec: '2.5kg/箱' });
    const site = await createSite(t, org.token, { name: '西来镇猕猴桃基地', regionCode: '510131' });
    batch = await createBatch(t, org.token, { productId: product.id, siteId: site.id, lotCode: '2610086EXT', producedOn: '2026-10-08' });
    const run = await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 5 }).expect(201);
    items = await db.query('SELECT code, serial FROM trace_codes WHERE print_run_id = $1 ORDER BY serial', [run.body.id]);
  });
  afterAll(() => t.close());

  it('shows a batch page in Chinese with product, producer, region, site, lot and date', async () => {
    const res = await t.http().get(`/t/${batch.traceCode}`).set('User-Agent', PHONE_UA).expect(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('private, no-store');
    for (const text of ['蒲江猕猴桃（红阳）', '蒲江县绿源猕猴桃专业合作社', '四川省成都市蒲江县', '西来镇猕猴桃基地', '2610086EXT', '2026-10-08', '1200.5 kg', 'lang="zh-CN"']) {
      expect(res.text).toContain(text);
    }
    expect(res.text).not.toContain('<script');
  });

  it('has a JSON twin with the same facts and no internal ids', async () => {
    const res = await t.http().get(`/api/v1/scan/${batch.traceCode}`).expect(200);
    expect(res.body).toMatchObject({
      code: batch.traceCode, kind: 'batch', status: 'active', banner: null,
      product: { name: '蒲江猕猴桃（红阳）', gtin: gtin14 },
      producer: { name: '蒲江县绿源猕猴桃专业合作社', regionName: '四川省成都市蒲江县' },
      batch: { lotCode: '2610086EXT', producedOn: '2026-10-08', quantity: { value: '1200.5', unit: 'kg' } },
    });
    expect(JSON.stringify(res.body)).not.toContain(org.id);
    expect(JSON.stringify(res.body)).not.toContain(batch.id);
  });

  it('records every scan with coarse client information and counts item scans', async () => {
    const item = items[0];
    const first = await t.http().get(`/api/v1/scan/${item.code}`).set('User-Agent', PHONE_UA).set('X-Forwarded-For', '203.0.113.9').expect(200);
    expect(first.body).toMatchObject({ kind: 'item', serial: item.serial, scans: { count: 1, copyWarning: false } });
    await t.http().get(`/t/${item.code}`).set('User-Agent', PHONE_UA).expect(200);
    await t.app.get(ScanRecorder).flush();
    const rows = await db.query('SELECT * FROM scan_events WHERE code = $1 ORDER BY id', [item.code]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ device: 'mobile', os: 'android', app: 'wechat', via: 'api', batch_id: batch.id });
    expect(JSON.stringify(rows)).not.toContain('203.0.113.9');
    const [code] = await db.query('SELECT scan_count, first_scanned_at FROM trace_codes WHERE code = $1', [item.code]);
    expect(code.scan_count).toBe(2);
    expect(code.first_scanned_at).not.toBeNull();
    const third = await t.http().get(`/api/v1/scan/${item.code}`).expect(200);
    expect(third.body.scans.count).toBe(3);
    expect(new Date(third.body.scans.firstScannedAt).getTime()).toBe(new Date(first.body.scans.firstScannedAt).getTime());
  });

  it('never warns that a label may be copied however often one client scans it', async () => {
    const item = items[1];
    const from = (ip: string, ua = PHONE_UA) => t.http().get(`/api/v1/scan/${item.code}`).set('User-Agent', ua).set('X-Forwarded-For', ip).expect(200);
    for (let i = 0; i < 10; i++) await from('198.51.100.7');
    // Rotating the user agent from one network does not make more consumers either.
    for (let i = 0; i < 10; i++) await from('198.51.100.7', `${PHONE_UA} build/${i}`);
    await t.app.get(ScanRecorder).flush();
    const json = await from('198.51.100.7');
    expect(json.body.scans).toMatchObject({ count: 21, copyWarning: false });
    const page = await t.http().get(`/t/${item.code}`).set('User-Agent', PHONE_UA).set('X-Forwarded-For', '198.51.100.7').expect(200);
    expect(page.text).not.toContain('可能被复制');
  });

  it('warns that a label may be copied once more distinct clients than the threshold scanned it', async () => {
    const item = items[3];
    for (const ip of ['203.0.113.10', '198.51.100.20', '192.0.2.30', '2001:db8:1::5']) {
      await t.http().get(`/api/v1/scan/${item.code}`).set('User-Agent', PHONE_UA).set('X-Forwarded-For', ip).expect(200);
    }
    await t.app.get(ScanRecorder).flush();
    const page = await t.http().get(`/t/${item.code}`).set('User-Agent', PHONE_UA).set('X-Forwarded-For', '203.0.113.10').expect(200);
    expect(page.text).toContain('此标签已被 4 部不同的手机扫码，可能被复制');
    const json = await t.http().get(`/api/v1/scan/${item.code}`).set('X-Forwarded-For', '203.0.113.10').expect(200);
    expect(json.body.scans).toMatchObject({ count: 6, clients: 4, copyWarning: true });
    await t.app.get(ScanRecorder).flush();
    const stored = await db.query('SELECT client, network FROM scan_clients WHERE code = $1', [item.code]) as { client: string; network: string }[];
    expect(stored).toHaveLength(5);
    expect(JSON.stringify(stored)).not.toMatch(/203\.0\.113|2001:db8/);
  });

  it('shows a prominent banner as soon as the batch is put on hold or recalled', async () => {
    const other = await createBatch(t, org.token);
    await t.http().get(`/t/${other.traceCode}`).expect(200); // warm the cache
    await t.http().post(`/api/v1/batches/${other.id}/status`).set(auth(org.token)).send({ status: 'recalled', reason: '检出克百威超标' }).expect(201);
    const page = await t.http().get(`/t/${other.traceCode}`).expect(200);
    expect(page.text).toContain('该批次产品已召回');
    expect(page.text).toContain('检出克百威超标');
    expect(page.text).toContain('role="alert"');
  });

  describe('GS1 Digital Link', () => {
    it('resolves a batch-level link to the batch page (HTML by default)', async () => {
      const res = await t.http().get(`/01/${gtin14}/10/2610086EXT`).expect(200);
      expect(res.text).toContain('蒲江猕猴桃（红阳）');
      expect(res.headers.link).toContain('rel="linkset"');
    });

    it('resolves an item link whose serial is the item code; a mismatched lot walks up to the product, an unknown GTIN is 404', async () => {
      const item = items[2];
      const res = await t.http().get(`/01/${gtin14}/10/2610086EXT/21/${item.code}`).set('Accept', 'application/json').expect(200);
      expect(res.body).toMatchObject({ code: item.code, kind: 'item', serial: item.serial });
      const walked = await t.http().get(`/01/${gtin14}/10/OTHERLOT/21/${item.code}`).set('Accept', 'application/json').expect(200);
      expect(walked.body).toMatchObject({ level: 'product', walkedUp: true });
      await t.http().get(`/01/${`0${uniqueGtin13()}`}/10/2610086EXT/21/${item.code}`).expect(404);
    });

    it('redirects (307) to the requested link type and serves the linkset', async () => {
      const pip = await t.http().get(`/01/${gtin14}/10/2610086EXT?linkType=gs1:pip`).expect(307);
      expect(pip.headers.location).toBe(`https://trace.example.cn/t/${batch.traceCode}#product`);
      const set = await t.http().get(`/01/${gtin14}/10/2610086EXT?linkType=linkset`).expect(200);
      expect(set.headers['content-type']).toContain('application/linkset+json');
      const entry = set.body.linkset[0];
      expect(entry.anchor).toBe(`https://trace.example.cn/01/${gtin14}/10/2610086EXT`);
      expect(entry['https://ref.gs1.org/voc/pip'][0].href).toBe(`https://trace.example.cn/t/${batch.traceCode}#product`);
      expect(entry['https://ref.gs1.org/voc/defaultLink']).toHaveLength(1);
    });

    it.each([
      ['wrong qualifier order', () => `/01/${gtin14}/21/${items[0].code}/10/2610086EXT`, [400]],
      ['bad check digit', () => `/01/${gtin14.slice(0, 13)}${(Number(gtin14[13]) + 1) % 10}/10/2610086EXT`, [400]],
      ['unknown GTIN', () => `/01/0${uniqueGtin13()}/10/NOPE`, [404]],
      ['broken percent-encoding', () => `/01/${gtin14}/10/%E0%A4%A`, [400]],
      ['very long path', () => `/01/${gtin14}/10/${'A'.repeat(5000)}`, [400, 414]],
    ])('answers %s with a friendly 4xx', async (_label, path, statuses) => {
      const res = await t.http().get(path());
      expect(statuses).toContain(res.status);
      expect(res.text).toContain('未找到该追溯码');
    });
  });

  it('answers unknown and malformed trace codes with a friendly 404 page', async () => {
    for (const code of ['0000000000000', 'short', 'ZZZZZZZZZZZZZZZZZZZZ', '%3Cscript%3E', '..%2F..%2Fetc']) {
      const res = await t.http().get(`/t/${code}`);
      expect(res.status).toBe(404);
      expect(res.text).toContain('未找到该追溯码');
      expect(res.text).not.toContain('<script>');
    }
    const json = await t.http().get('/api/v1/scan/0000000000000').expect(404);
    expect(json.body.code).toBe('NOT_FOUND');
    // and a well-formed unknown code answers the same way the second time (from the miss cache)
    await t.http().get('/api/v1/scan/0000000000000').expect(404);
  });

  it('never answers a random or hostile path under /t/ and /01/ with a 5xx', async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('01', '10', '21', '22', '%', '%%', '%2F', '..', '.', '', gtin14, items[0].code, '2610086EXT'),
    );
    await fc.assert(fc.asyncProperty(fc.constantFrom('/t/', '/01/', '/api/v1/scan/'), fc.array(segment, { maxLength: 8 }), async (prefix, parts) => {
      const path = prefix + parts.map((p) => encodeURIComponent(p).replace(/%25/g, p.includes('%') ? '%' : '%25')).join('/');
      const res = await t.http().get(path);
      expect(res.status).toBeLessThan(500);
    }), { numRuns: 300 });
  });
});

describe('rate limiting of public routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_RATE_LIMIT_MAX: '3', PUBLIC_RATE_LIMIT_WINDOW_MS: '60000', TRUST_PROXY: 'true' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once a client exceeds the limit, and leaves the API alone', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await t.http().get('/t/0000000000000');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.body.code).toBe('RATE_LIMITED');
    await t.http().get('/health').expect(200);
    // another client (as seen through a trusted proxy) is not affected
    await t.http().get('/t/0000000000000').set('X-Forwarded-For', '198.51.100.7').expect(404);
  });
});
