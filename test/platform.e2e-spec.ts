import { DataSource } from 'typeorm';
import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, uniqueGtin13, uniqueUscc } from './support/factories';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

describe('platform foundation over HTTP (real PostgreSQL)', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  describe('health, docs and authentication', () => {
    it('reports database and queue status', async () => {
      const res = await t.http().get('/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', database: 'up', queue: 'in-process', embedded: false });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('serves the OpenAPI document with the public paths', async () => {
      const res = await t.http().get('/docs-json').expect(200);
      for (const path of ['/api/v1/organizations', '/api/v1/products', '/api/v1/sites', '/api/v1/batches',
        '/api/v1/batches/{id}/print-runs', '/api/v1/print-runs/{id}/labels.pdf', '/api/v1/scan/{code}', '/t/{code}']) {
        expect(Object.keys(res.body.paths)).toContain(path);
      }
    });

    it('refuses missing, malformed and unknown tokens with 401', async () => {
      expect((await t.http().get('/api/v1/batches').expect(401)).body.code).toBe('UNAUTHENTICATED');
      await t.http().get('/api/v1/batches').set('Authorization', 'Basic abc').expect(401);
      await t.http().get('/api/v1/batches').set(auth('tt_not-a-real-token-at-all')).expect(401);
    });

    it('stores API keys hashed, shows the token once, and honours revocation', async () => {
      const org = await createOrg(t);
      const [row] = await db.query('SELECT token_hash, token_prefix FROM api_keys WHERE organization_id = $1', [org.id]);
      expect(row.token_hash).not.toContain(org.token);
      expect(org.token.startsWith(row.token_prefix)).toBe(true);
      const list = await t.http().get(`/api/v1/organizations/${org.id}/api-keys`).set(auth(org.token)).expect(200);
      expect(JSON.stringify(list.body)).not.toContain(org.token);
      const operator = await t.http().post(`/api/v1/organizations/${org.id}/api-keys`).set(auth(org.token)).send({ role: 'operator' }).expect(201);
      await t.http().get('/api/v1/products').set(auth(operator.body.token)).expect(200);
      await t.http().delete(`/api/v1/organizations/${org.id}/api-keys/${operator.body.id}`).set(auth(org.token)).expect(204);
      // the authentication cache is cleared on revocation in this process
      await t.http().get('/api/v1/products').set(auth(operator.body.token)).expect(401);
    });

    it('enforces roles: an operator cannot create keys, a producer cannot register organisations', async () => {
      const org = await createOrg(t, {}, 'operator');
      const res = await t.http().post(`/api/v1/organizations/${org.id}/api-keys`).set(auth(org.token)).send({ role: 'operator' }).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      await t.http().post('/api/v1/organizations').set(auth(org.token)).send({ name: 'x', kind: 'enterprise', regionCode: '510131' }).expect(403);
    });
  });

  describe('organisations', () => {
    it('accepts a valid USCC and names the region from GB/T 2260 data', async () => {
      const res = await t.http().post('/api/v1/organizations').set(auth(ADMIN_TOKEN))
        .send({ name: '成都天府农业有限公司', kind: 'enterprise', uscc: '91510114730209375B', regionCode: '510114' });
      if (res.status === 409) return; // registered by an earlier run against the same database
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ uscc: '91510114730209375B', usccStatus: 'valid', regionName: '四川省成都市新都区' });
    });

    it.each([
      ['wrong check character', { uscc: '91510114730209375C' }, 'uscc'],
      ['wrong length', { uscc: '9151011473020937' }, 'uscc'],
      ['forbidden letter', { uscc: '91510114730209375I' }, 'uscc'],
      ['missing USCC', { uscc: undefined }, 'uscc'],
      ['unknown region', { regionCode: '519999' }, 'regionCode'],
      ['malformed region', { regionCode: '51013' }, 'regionCode'],
      ['unknown kind', { kind: 'farmer' }, 'kind'],
      ['overlong name', { name: '合'.repeat(201) }, 'name'],
      ['bad phone', { contact: { phone: 'call me' } }, 'contact.phone'],
    ])('rejects %s with a 400 naming the field', async (_label, override, field) => {
      const body = { name: '测试企业', kind: 'enterprise', uscc: uniqueUscc('91'), regionCode: '510131', ...override };
      const res = await t.http().post('/api/v1/organizations').set(auth(ADMIN_TOKEN)).send(body).expect(400);
      const fields = res.body.details?.fields?.map((f: { field: string }) => f.field) ?? [res.body.details?.field];
      expect(fields).toContain(field);
    });

    it('refuses a duplicate USCC with 409 and writes nothing', async () => {
      const uscc = uniqueUscc('91');
      await t.http().post('/api/v1/organizations').set(auth(ADMIN_TOKEN)).send({ name: 'A', kind: 'enterprise', uscc, regionCode: '510131' }).expect(201);
      const res = await t.http().post('/api/v1/organizations').set(auth(ADMIN_TOKEN)).send({ name: 'B', kind: 'enterprise', uscc, regionCode: '510131' }).expect(409);
      expect(res.body.code).toBe('DUPLICATE_USCC');
      expect((await db.query('SELECT count(*)::int AS n FROM organizations WHERE uscc = $1', [uscc]))[0].n).toBe(1);
    });

    it('lets only an admin accept a USCC that fails the check, recording the reason', async () => {
      const valid = uniqueUscc('91');
      const failing = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0'); // wrong check character
      const override = { reason: '登记机关书面确认该代码为早期赋码，校验位不符' };
      const regulator = await createRegulator(t, '510100');
      await t.http().post('/api/v1/organizations').set(auth(regulator.token))
        .send({ name: 'C', kind: 'enterprise', uscc: failing, regionCode: '510131', usccOverride: override }).expect(403);
      const res = await t.http().post('/api/v1/organizations').set(auth(ADMIN_TOKEN))
        .send({ name: 'C', kind: 'enterprise', uscc: failing, regionCode: '510131', usccOverride: override }).expect(201);
      expect(res.body.usccStatus).toBe('override');
    });

    it('registers individual farmers without a USCC and never returns their ID number', async () => {
      const res = await t.http().post('/api/v1/organizations').set(auth(ADMIN_TOKEN))
        .send({ name: '张三', kind: 'individual', regionCode: '510131', idNumber: '11010519491231002X' }).expect(201);
      expect(res.body).toMatchObject({ uscc: null, usccStatus: 'none', idNumberMasked: '110105********002X' });
      expect(JSON.stringify(res.body)).not.toContain('11010519491231002X');
      const [row] = await db.query('SELECT * FROM organizations WHERE id = $1', [res.body.id]);
      expect(JSON.stringify(row)).not.toContain('19491231');
    });

    it('lets a regulator register organisations only inside its region', async () => {
      const regulator = await createRegulator(t, '510100');
      await t.http().post('/api/v1/organizations').set(auth(regulator.token))
        .send({ name: '蒲江合作社', kind: 'cooperative', uscc: uniqueUscc(), regionCode: '510131' }).expect(201);
      const res = await t.http().post('/api/v1/organizations').set(auth(regulator.token))
        .send({ name: '汉源合作社', kind: 'cooperative', uscc: uniqueUscc('93', '511823'), regionCode: '511823' }).expect(403);
      expect(res.body.details).toMatchObject({ field: 'regionCode' });
    });
  });

  describe('products, sites and batches', () => {
    it('stores a GTIN-13 as GTIN-14 and refuses duplicates within the organisation', async () => {
      const org = await createOrg(t);
      const gtin = uniqueGtin13();
      const product = await createProduct(t, org.token, { gtin });
      expect(product.gtin).toBe(`0${gtin}`);
      const res = await t.http().post('/api/v1/products').set(auth(org.token))
        .send({ name: '另一个', category: '水果', gtin: `0${gtin}` }).expect(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE_GTIN', details: { field: 'gtin' } });
      // another organisation may register the same GTIN (e.g. a purchaser recording the item)
      const other = await createOrg(t);
      await createProduct(t, other.token, { gtin });
    });

    it.each([
      ['bad check digit', { gtin: '6901234567893' }, 'gtin', 'INVALID_GTIN'],
      ['letters in GTIN', { gtin: '69012345678AB' }, 'gtin', 'INVALID_GTIN'],
      ['unknown category', { category: '水果>火星果' }, 'category', 'UNKNOWN_CATEGORY'],
      ['missing name', { name: undefined }, 'name', 'VALIDATION_FAILED'],
      ['wrong type', { name: 42 }, 'name', 'VALIDATION_FAILED'],
    ])('rejects a product with %s', async (_label, override, field, code) => {
      const org = await createOrg(t);
      const res = await t.http().post('/api/v1/products').set(auth(org.token))
        .send({ name: '猕猴桃', category: '水果', ...override }).expect(400);
      expect(res.body.code).toBe(code);
      expect(JSON.stringify(res.body.details)).toContain(field);
    });

    it('validates sites: region code and coordinates', async () => {
      const org = await createOrg(t);
      const site = await createSite(t, org.token, { location: { lat: 30.23, lng: 103.46 } });
      const got = await t.http().get(`/api/v1/sites/${site.id}`).set(auth(org.token)).expect(200);
      expect(got.body).toMatchObject({ regionName: '四川省成都市蒲江县', location: { lat: 30.23, lng: 103.46 } });
      expect((await t.http().post('/api/v1/sites').set(auth(org.token)).send({ name: 'x', regionCode: '000000' }).expect(400)).body.code).toBe('INVALID_REGION_CODE');
      await t.http().post('/api/v1/sites').set(auth(org.token)).send({ name: 'x', regionCode: '510131', location: { lat: 95, lng: 0 } }).expect(400);
    });

    it('creates a batch with a generated lot, a trace code and a trace URL', async () => {
      const org = await createOrg(t);
      const batch = await createBatch(t, org.token);
      expect(batch.lotCode).toMatch(/^261008[0-9A-Z]{4}$/);
      expect(batch.traceCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{13}$/);
      expect(batch.traceUrl).toBe(`https://trace.example.cn/t/${batch.traceCode}`);
      expect(batch.status).toBe('active');
      const [row] = await db.query('SELECT kind, batch_id FROM trace_codes WHERE code = $1', [batch.traceCode]);
      expect(row).toEqual({ kind: 'batch', batch_id: batch.id });
    });

    it('accepts the Chinese names of the mass units (公斤, 吨) and stores the unit as listed', async () => {
      const org = await createOrg(t);
      const a = await createBatch(t, org.token, { quantity: { value: '50.50', unit: '公斤' } });
      const b = await createBatch(t, org.token, { quantity: { value: '2', unit: '吨' } });
      const quantityOf = async (id: string) => (await t.http().get(`/api/v1/batches/${id}`).set(auth(org.token)).expect(200)).body.quantity;
      expect([await quantityOf(a.id), await quantityOf(b.id)]).toEqual([{ value: '50.5', unit: 'kg' }, { value: '2', unit: 't' }]);
      const rows = await db.query('SELECT quantity_value, quantity_unit FROM batches WHERE id = ANY($1) ORDER BY quantity_value', [[a.id, b.id]]);
      expect(rows).toEqual([{ quantity_value: '2.000', quantity_unit: 't' }, { quantity_value: '50.500', quantity_unit: 'kg' }]);
    });

    it('puts a GS1 Digital Link in the QR when the product has a GTIN', async () => {
      const org = await createOrg(t);
      const gtin = uniqueGtin13();
      const product = await createProduct(t, org.token, { gtin });
      const batch = await createBatch(t, org.token, { productId: product.id, lotCode: 'A-26/01' });
      expect(batch.qrContent).toBe(`https://trace.example.cn/01/0${gtin}/10/A-26%2F01`);
    });

    it.each([
      ['zero quantity', { quantity: { value: '0', unit: 'kg' } }, 'quantity.value'],
      ['negative quantity', { quantity: { value: '-5', unit: 'kg' } }, 'quantity.value'],
      ['unknown unit', { quantity: { value: '5', unit: 'lb' } }, 'quantity.unit'],
      ['missing quantity', { quantity: undefined }, 'quantity'],
      ['impossible date', { producedOn: '2026-02-30' }, 'producedOn'],
      ['future date', { producedOn: '2099-01-01' }, 'producedOn'],
      ['lot with a space', { lotCode: 'LOT 1' }, 'lotCode'],
      ['overlong lot', { lotCode: 'L'.repeat(21) }, 'lotCode'],
      ['malformed product id', { productId: 'abc' }, 'productId'],
    ])('rejects a batch with %s and writes nothing', async (_label, override, field) => {
      const org = await createOrg(t);
      const product = await createProduct(t, org.token);
      const site = await createSite(t, org.token);
      const res = await t.http().post('/api/v1/batches').set(auth(org.token))
        .send({ productId: product.id, siteId: site.id, quantity: { value: '10', unit: 'kg' }, producedOn: '2026-10-01', ...override });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(JSON.stringify(res.body.details)).toContain(field);
      expect((await db.query('SELECT count(*)::int AS n FROM batches WHERE organization_id = $1', [org.id]))[0].n).toBe(0);
    });

    it('refuses a duplicate lot for the same product with 409', async () => {
      const org = await createOrg(t);
      const product = await createProduct(t, org.token);
      await createBatch(t, org.token, { productId: product.id, lotCode: 'LOT-1' });
      const site = await createSite(t, org.token);
      const res = await t.http().post('/api/v1/batches').set(auth(org.token))
        .send({ productId: product.id, siteId: site.id, lotCode: 'LOT-1', quantity: { value: '1', unit: 'kg' }, producedOn: '2026-10-01' }).expect(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE_LOT_CODE', details: { field: 'lotCode' } });
    });

    it('answers a retry with the same Idempotency-Key with the first batch, creating nothing new', async () => {
      const org = await createOrg(t);
      const product = await createProduct(t, org.token);
      const site = await createSite(t, org.token);
      const body = { productId: product.id, siteId: site.id, quantity: { value: '7', unit: '箱' }, producedOn: '2026-10-01' };
      const key = `batch-${Date.now()}`;
      const [a, b] = await Promise.all([
        t.http().post('/api/v1/batches').set(auth(org.token)).set('Idempotency-Key', key).send(body),
        t.http().post('/api/v1/batches').set(auth(org.token)).set('Idempotency-Key', key).send(body),
      ]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.traceCode).toBe(b.body.traceCode);
      const c = await t.http().post('/api/v1/batches').set(auth(org.token)).set('Idempotency-Key', key).send(body).expect(201);
      expect(c.headers['idempotent-replayed']).toBe('true');
      expect(c.body.id).toBe(a.body.id);
      expect((await db.query('SELECT count(*)::int AS n FROM batches WHERE organization_id = $1', [org.id]))[0].n).toBe(1);
      expect((await db.query('SELECT count(*)::int AS n FROM trace_codes WHERE batch_id = $1', [a.body.id]))[0].n).toBe(1);
      const other = await t.http().post('/api/v1/batches').set(auth(org.token)).set('Idempotency-Key', key)
        .send({ ...body, quantity: { value: '8', unit: '箱' } }).expect(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('pages through lists with a cursor, newest first, without gaps or repeats', async () => {
      const org = await createOrg(t);
      const product = await createProduct(t, org.token);
      const site = await createSite(t, org.token);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await createBatch(t, org.token, { productId: product.id, siteId: site.id })).id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http().get('/api/v1/batches')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) }).set(auth(org.token)).expect(200);
        seen.push(...res.body.items.map((b) => b.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());
      expect((await t.http().get('/api/v1/batches?cursor=garbage').set(auth(org.token)).expect(400)).body.code).toBe('INVALID_CURSOR');
      await t.http().get('/api/v1/batches?limit=0').set(auth(org.token)).expect(400);
    });

    it('changes status with a reason, and refuses transitions out of a recall', async () => {
      const org = await createOrg(t);
      const batch = await createBatch(t, org.token);
      await t.http().post(`/api/v1/batches/${batch.id}/status`).set(auth(org.token)).send({ status: 'on_hold' }).expect(400);
      await t.http().post(`/api/v1/batches/${batch.id}/status`).set(auth(org.token)).send({ status: 'recalled', reason: '检出禁用农药' }).expect(201);
      const res = await t.http().post(`/api/v1/batches/${batch.id}/status`).set(auth(org.token)).send({ status: 'active' }).expect(422);
      expect(res.body.code).toBe('INVALID_STATUS_TRANSITION');
    });
  });

  describe('malformed requests', () => {
    it('answers malformed JSON, wrong content types and oversize bodies with 4xx codes', async () => {
      const org = await createOrg(t);
      const bad = await t.http().post('/api/v1/products').set(auth(org.token)).set('content-type', 'application/json').send('{"name":').expect(400);
      expect(bad.body.code).toBe('MALFORMED_JSON');
      const type = await t.http().post('/api/v1/products').set(auth(org.token)).set('content-type', 'text/xml').send('<x/>');
      expect(type.status).toBe(415);
      const big = await t.http().post('/api/v1/products').set(auth(org.token)).set('content-type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(2_000_000) }));
      expect(big.status).toBe(413);
    });

    it('answers unknown routes with a JSON 404', async () => {
      const res = await t.http().get('/api/v1/nothing-here').set(auth(ADMIN_TOKEN)).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });
  });
});
