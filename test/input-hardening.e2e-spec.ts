import { DataSource, QueryFailedError } from 'typeorm';
import { toErrorResponse } from '../src/common/domain-exception.filter';
import { ConsoleClient, consoleUser } from './support/console';
import { auth, createBatch, createOrg, createProduct, createSite, OrgWithKey } from './support/factories';
import { deepJson } from './support/fuzz';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';
const PASSWORD = '四川天府溯源2026输入检查';
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const fieldsOf = (body: { details?: { fields?: { field: string; rule: string }[] } }) => body.details?.fields?.map((f) => [f.field, f.rule]);

describe('hostile input is a 400 naming the field, never a 500 (issue 13 items 11 and 15)', () => {
  let t: TestApp;
  let db: DataSource;
  let org: OrgWithKey;
  let person: ConsoleClient;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    org = await createOrg(t, { name: '输入检查合作社' });
    person = await consoleUser(t, org.id, `input-${Date.now()}`, PASSWORD);
  });
  afterAll(() => t.close());

  const postJson = (path: string, body: string, token = org.token, type = 'application/json') =>
    t.http().post(path).set(auth(token)).set('Content-Type', type).send(body);

  describe('NUL bytes and lone surrogates', () => {
    it('refuses NUL in a body field with the field named, and stores nothing', async () => {
      const res = await postJson('/api/v1/products', JSON.stringify({ name: '蒲江\u0000猕猴桃', category: KIWI })).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'name: name must not contain NUL characters' });
      expect(fieldsOf(res.body)).toEqual([['name', 'no_nul']]);
      const rows = await db.query('SELECT count(*)::int AS n FROM products WHERE organization_id = $1', [org.id]) as { n: number }[];
      expect(rows[0].n).toBe(0);
    });

    it('refuses NUL in a nested field and in free text (a reason), naming the path', async () => {
      const site = await createSite(t, org.token);
      const product = await createProduct(t, org.token, { name: '输入检查猕猴桃' });
      const batch = await postJson('/api/v1/batches', JSON.stringify({ productId: product.id, siteId: site.id, quantity: { value: '1\u0000', unit: 'kg' }, producedOn: '2026-10-08' })).expect(400);
      expect(fieldsOf(batch.body)).toEqual([['quantity.value', 'no_nul']]);
      const { id } = await createBatch(t, org.token, { productId: product.id, siteId: site.id });
      const hold = await postJson(`/api/v1/batches/${id}/status`, JSON.stringify({ status: 'on_hold', reason: '抽检\u0000' })).expect(400);
      expect(fieldsOf(hold.body)).toEqual([['reason', 'no_nul']]);
    });

    it('refuses NUL in a query parameter of the unauthenticated GI list', async () => {
      const res = await t.http().get('/api/v1/gi?registrationNumber=AGI%0001').expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res.body)).toEqual([['registrationNumber', 'no_nul']]);
    });

    it('refuses NUL in a path parameter and in a CSV body', async () => {
      const path = await t.http().get('/api/v1/products/a%00b').set(auth(org.token)).expect(400);
      expect(fieldsOf(path.body)).toEqual([['id', 'no_nul']]);
      const csv = await t.http().post('/api/v1/limits/import').set(auth(ADMIN_TOKEN)).set('Content-Type', 'text/csv')
        .send('standard,edition,effective_from,analyte,analyte_en,kind,food,limit_mg_per_kg,verified,note\nGB 2763,2026,2026-03-01,测\u0000试,x,mrl,水果,0.02,no,\n').expect(400);
      expect(fieldsOf(csv.body)).toEqual([['body', 'no_nul']]);
    });

    it('refuses a lone surrogate (only JSON escapes can carry one) in a field and in a nested field, naming it', async () => {
      const body = await postJson('/api/v1/sites', '{"name":"西来\\ud800镇","regionCode":"510131"}').expect(400);
      expect(fieldsOf(body.body)).toEqual([['name', 'well_formed']]);
      const nested = await postJson('/api/v1/sites', '{"name":"西来镇","regionCode":"510131","location":{"lat":30,"lng":"\\udc00"}}').expect(400);
      expect(fieldsOf(nested.body)).toEqual([['location.lng', 'well_formed']]);
    });

    it('refuses NUL inside an EPCIS document before the schema check, naming the JSON path', async () => {
      const doc = { '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-11-01T00:00:00Z',
        epcisBody: { eventList: [{ type: 'ObjectEvent', eventTime: '2026-11-01T00:00:00Z', eventTimeZoneOffset: '+08:00', action: 'OBSERVE', epcList: ['urn:epc:id:sgtin:0614141.107346.\u0000'] }] } };
      const res = await postJson('/api/v1/events', JSON.stringify(doc), org.token, 'application/ld+json').expect(400);
      expect(fieldsOf(res.body)).toEqual([['epcisBody.eventList.0.epcList.0', 'no_nul']]);
    });
  });

  describe('crafted pagination cursors', () => {
    const crafted = [
      cursorOf(['2026-01-01T00:00:00.000Z', '-'.repeat(36)]),
      cursorOf(['1', '0b7c3a9e-4f1d-4c2a-9e1b-2d3c4b5a6f70']),
      cursorOf(['2026-02-30T00:00:00.000Z', '0b7c3a9e-4f1d-4c2a-9e1b-2d3c4b5a6f70']),
      cursorOf(['-271821-04-20T00:00:00.000Z', '0b7c3a9e-4f1d-4c2a-9e1b-2d3c4b5a6f70']),
      cursorOf({ createdAt: '2026-01-01', id: 'x' }),
    ];

    it.each(crafted)('answers %s with INVALID_CURSOR on every kind of list', async (cursor) => {
      for (const [path, token] of [['/api/v1/products', org.token], ['/api/v1/batches', org.token], ['/api/v1/gi', undefined], ['/api/v1/certificates', org.token]] as const) {
        const req = t.http().get(path).query({ cursor });
        if (token) void req.set(auth(token));
        const res = await req.expect(400);
        expect(res.body).toMatchObject({ code: 'INVALID_CURSOR', details: { field: 'cursor', rule: 'format' } });
      }
      const events = await t.http().get('/api/v1/events').query({ nextPageToken: cursor }).set(auth(org.token)).expect(400);
      expect(events.body).toMatchObject({ code: 'INVALID_CURSOR', details: { field: 'nextPageToken' } });
    });

    it('still pages with the cursors it hands out', async () => {
      await createProduct(t, org.token, { name: '第二个产品' });
      const first = await t.http().get('/api/v1/products').query({ limit: 1 }).set(auth(org.token)).expect(200);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await t.http().get('/api/v1/products').query({ limit: 1, cursor: first.body.nextCursor }).set(auth(org.token)).expect(200);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    });

    it("refuses one list's cursor on another list", async () => {
      const products = await t.http().get('/api/v1/products').query({ limit: 1 }).set(auth(org.token)).expect(200);
      const res = await t.http().get('/api/v1/batches').query({ cursor: products.body.nextCursor }).set(auth(org.token)).expect(400);
      expect(res.body).toMatchObject({ code: 'INVALID_CURSOR', details: { field: 'cursor', rule: 'format' } });
      const events = await t.http().get('/api/v1/events').query({ nextPageToken: products.body.nextCursor }).set(auth(org.token)).expect(400);
      expect(events.body).toMatchObject({ code: 'INVALID_CURSOR', details: { field: 'nextPageToken' } });
    });
  });

  describe('JSON nested 10,000+ levels', () => {
    it.each([
      ['an array body', deepJson(12_000), 'body'],
      ['an object body', deepJson(12_000, 'object'), 'a'],
      ['a field', `{"name":${deepJson(10_000)},"category":"${KIWI}"}`, 'name'],
    ])('refuses %s with max_depth, naming the top-level field', async (_, body, field) => {
      const res = await postJson('/api/v1/products', body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res.body)).toEqual([[field, 'max_depth']]);
    });

    it('refuses a deep EPCIS document (application/ld+json) the same way', async () => {
      const res = await postJson('/api/v1/events', deepJson(12_000, 'object'), org.token, 'application/ld+json').expect(400);
      expect(fieldsOf(res.body)).toEqual([['a', 'max_depth']]);
    });
  });

  describe('impossible dates', () => {
    it('answers /api/v1/gi/usage?from=2026-02-30 with a 400 naming from', async () => {
      const res = await t.http().get('/api/v1/gi/usage').query({ from: '2026-02-30', to: '2026-12-31' }).set(auth(ADMIN_TOKEN)).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res.body)).toEqual([['from', 'isCalendarDate']]);
    });

    it.each([
      ['/api/v1/batches', { producedOn: '0000-01-01' }, 'producedOn', 'isCalendarDate'],
      ['/api/v1/shipments', { shippedAt: '0000-01-01T00:00:00Z' }, 'shippedAt', 'isInstant'],
    ])('refuses year 0000, which PostgreSQL cannot store (%s)', async (path, fields, field, rule) => {
      const base = path === '/api/v1/batches'
        ? { productId: '0b7c3a9e-4f1d-4c2a-9e1b-2d3c4b5a6f70', siteId: '0b7c3a9e-4f1d-4c2a-9e1b-2d3c4b5a6f70', quantity: { value: '1', unit: 'kg' } }
        : { batchId: '0b7c3a9e-4f1d-4c2a-9e1b-2d3c4b5a6f70', toOrganizationId: '0b7c3a9e-4f1d-4c2a-9e1b-2d3c4b5a6f70', quantity: { value: '1', unit: 'kg' } };
      const res = await postJson(path, JSON.stringify({ ...base, ...fields })).expect(400);
      expect(fieldsOf(res.body)).toContainEqual([field, rule]);
    });

    it.each([
      ['an eventTime in year 0000', { eventTime: '0000-01-01T00:00:00Z' }, '/epcisBody/eventList/0/eventTime', 'format'],
      ['a bizLocation longer than can be stored', { bizLocation: { id: `urn:epc:id:sgln:0614141.00777.${'9'.repeat(400)}` } }, '/epcisBody/eventList/0/bizLocation/id', 'maxLength'],
      ['an eventID longer than can be stored', { eventID: `ni:///sha-256;${'a'.repeat(300)}?ver=CBV2.0` }, '/epcisBody/eventList/0/eventID', 'maxLength'],
    ])('refuses an EPCIS event with %s at capture (400), instead of a capture job that fails at every retry', async (_, fields, field, rule) => {
      const doc = { '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-11-01T00:00:00Z',
        epcisBody: { eventList: [{ type: 'ObjectEvent', eventTime: '2026-11-01T00:00:00Z', eventTimeZoneOffset: '+08:00', action: 'OBSERVE', epcList: ['urn:epc:id:sgtin:0614141.107346.2017'], ...fields }] } };
      const res = await postJson('/api/v1/events', JSON.stringify(doc), org.token, 'application/ld+json').expect(400);
      expect(res.body).toMatchObject({ code: 'INVALID_EPCIS', details: { field, rule } });
    });

    it.each([['GE_eventTime', '0000-01-01T00:00:00Z'], ['LT_eventTime', '2026-02-30T00:00:00+08:00']])('refuses an impossible EPCIS query time %s=%s, naming it', async (field, value) => {
      const res = await t.http().get('/api/v1/events').query({ [field]: value }).set(auth(org.token)).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { field, rule: 'datetime' } });
    });

    it('refuses an impossible audit instant (a query the audit log would otherwise send to PostgreSQL)', async () => {
      const res = await t.http().get('/api/v1/audit').query({ from: '2026-02-30T00:00:00Z' }).set(auth(ADMIN_TOKEN)).expect(400);
      expect(fieldsOf(res.body)).toEqual([['from', 'isInstant']]);
    });
  });

  describe('over-long console form values', () => {
    it('shows the invite form again with the problem at the display name', async () => {
      const page = await person.get('/app/users');
      const res = await person.post('/app/users/invite', { ...ConsoleClient.hidden(page.text, '/app/users/invite'), loginName: `long-${Date.now()}`, displayName: '王'.repeat(10_000), role: 'operator' });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/name="displayName"[^>]*aria-invalid="true"[\s\S]*?内容过长/);
    });

    it('shows the key form again with the problem at the label', async () => {
      const page = await person.get('/app/users');
      const res = await person.post('/app/api-keys', { ...ConsoleClient.hidden(page.text, '/app/api-keys'), role: 'operator', label: 'x'.repeat(10_000) });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/name="label"[^>]*aria-invalid="true"[\s\S]*?内容过长/);
    });
  });

  describe('last line of defence: values PostgreSQL refuses are a 400, not a 500', () => {
    it.each([
      ['SELECT $1::text', 'a\u0000b', '22021'],
      ['SELECT $1::date', '2026-02-30', '22008'],
      ['SELECT $1::timestamptz', 'not a time', '22007'],
      ['SELECT $1::uuid', '------------------------------------', '22P02'],
      ['SELECT $1::smallint', '99999', '22003'],
      ['SELECT $1::jsonb', '{"a":"\\u0000"}', '22P05'],
    ])('%s with %j (SQLSTATE %s) → 400 UNSTORABLE_VALUE', async (sql, value, sqlState) => {
      const error = await db.query(sql, [value]).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(QueryFailedError);
      expect(toErrorResponse(error)).toEqual({ status: 400, body: { code: 'UNSTORABLE_VALUE', message: expect.any(String), details: { sqlState, rule: expect.any(String) } } });
    });

    it('text too long for its column (SQLSTATE 22001) → 400 UNSTORABLE_VALUE', async () => {
      const runner = db.createQueryRunner();
      try {
        await runner.query('CREATE TEMP TABLE too_long (v varchar(3))');
        const error = await runner.query('INSERT INTO too_long VALUES ($1)', ['four']).then(() => undefined, (e: unknown) => e);
        expect(toErrorResponse(error)).toMatchObject({ status: 400, body: { code: 'UNSTORABLE_VALUE', details: { sqlState: '22001' } } });
      } finally {
        await runner.release();
      }
    });
  });

  describe('control and bidirectional characters (labels and public pages)', () => {
    it.each([
      ['a product name with a control character', '/api/v1/products', { name: '蒲江\u0007猕猴桃', category: KIWI }, 'name', 'no_control'],
      ['a product name with a C1 control character', '/api/v1/products', { name: '蒲江\u0085猕猴桃', category: KIWI }, 'name', 'no_control'],
      ['a product name with a line break', '/api/v1/products', { name: '蒲江\n猕猴桃', category: KIWI }, 'name', 'single_line'],
      ['a product name with a bidi override', '/api/v1/products', { name: '合格\u202e格合', category: KIWI }, 'name', 'no_bidi'],
      ['a site name with a tab', '/api/v1/sites', { name: '西来\t镇', regionCode: '510131' }, 'name', 'single_line'],
      ['a batch lot code with an escape character', '/api/v1/batches', { lotCode: 'A1\u001b[0m', productId: '0b7c3a9e-4f1d-4c2a-9e1b-2d3c4b5a6f70', siteId: '0b7c3a9e-4f1d-4c2a-9e1b-2d3c4b5a6f70', quantity: { value: '1', unit: 'kg' }, producedOn: '2026-10-08' }, 'lotCode', 'no_control'],
    ])('refuses %s with a 400 naming the field', async (_, path, body, field, rule) => {
      const res = await postJson(path, JSON.stringify(body)).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res.body)).toContainEqual([field, rule]);
    });

    it('lets free text (a recall reason) hold line breaks', async () => {
      const { id } = await createBatch(t, org.token);
      const res = await postJson('/api/v1/recalls', JSON.stringify({ batchId: id, reason: '例行监测：\n毒死蜱残留超标', mock: true }));
      expect(res.status).toBe(201);
    });

    it('shows a console form again with the problem at a name holding a line break, and refuses control characters with a page naming the field', async () => {
      const page = await person.get('/app/products');
      const form = ConsoleClient.hidden(page.text, '/app/products');
      const multiline = await person.post('/app/products', { ...form, name: '龙泉驿\r\n水蜜桃', category: KIWI });
      expect(multiline.status).toBe(422);
      expect(multiline.text).toMatch(/name="name"[^>]*aria-invalid="true"[\s\S]*?只能填写一行/);
      const control = await person.post('/app/products', { ...form, name: '龙泉驿\u0007水蜜桃', category: KIWI });
      expect(control.status).toBe(400);
      expect(control.text).toContain('「name」中有不可见的控制字符');
      const rows = await db.query("SELECT count(*)::int AS n FROM products WHERE organization_id = $1 AND name LIKE '龙泉驿%'", [org.id]) as { n: number }[];
      expect(rows[0].n).toBe(0);
    });

    it('never shows a bidi override on the public trace page, even from a row stored before it was refused', async () => {
      const product = await createProduct(t, org.token, { name: '蒲江红心猕猴桃' });
      const batch = await createBatch(t, org.token, { productId: product.id });
      await db.query('UPDATE products SET name = $1 WHERE id = $2', ['蒲江\u202e桃猴猕心红\u202c\u2066x\u2069', product.id]);
      const page = await t.http().get(`/t/${batch.traceCode}`).expect(200);
      expect(page.text).toContain('蒲江桃猴猕心红x');
      expect(page.text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    });
  });
});
