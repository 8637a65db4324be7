import type { Response } from 'superagent';
import { DataSource } from 'typeorm';
import { pdfText } from '../libs/testing/raster';
import { auth, createOrg, createProduct, createRegulator, createSite, OrgWithKey, uniqueUscc } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('有机码 on labels: allocations, one code per label, each code once, ever', () => {
  let t: TestApp;
  let db: DataSource;
  let coop: OrgWithKey;
  let chengdu: OrgWithKey;
  let organicId: string;
  let batchId: string;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    chengdu = await createRegulator(t, '510100');
    const uscc = uniqueUscc('93', '510131');
    coop = await createOrg(t, { name: '蒲江县有机猕猴桃合作社', uscc });
    const site = await createSite(t, coop.token);
    const product = await createProduct(t, coop.token);
    organicId = (await t.http().post('/api/v1/marks').set(auth(coop.token)).send({
      scheme: 'organic', number: '124OP2600001', holderUscc: uscc, productIds: [product.id], siteIds: [site.id], validFrom: '2026-01-01', validTo: '2026-12-31',
    }).expect(201)).body.id;
    batchId = (await t.http().post('/api/v1/batches').set(auth(coop.token))
      .send({ productId: product.id, siteId: site.id, quantity: { value: '500', unit: 'kg' }, producedOn: '2026-10-08', marks: [{ markId: organicId }] }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  const run = (count: number, key?: string) => {
    const req = t.http().post(`/api/v1/batches/${batchId}/print-runs`).set(auth(coop.token));
    return (key ? req.set('Idempotency-Key', key) : req).send({ count });
  };

  it('records allocations as ranges or lists; a code is recorded once, by anyone', async () => {
    const allocate = (body: Record<string, unknown>, token = coop.token) => t.http().post(`/api/v1/marks/${organicId}/organic-codes`).set(auth(token)).send(body);
    expect((await allocate({ from: '12426000000000001', to: '12426000000000030', note: '第一批' }).expect(201)).body).toMatchObject({ allocation: { kind: 'range', count: 30 }, allocated: 30, remaining: 30 });
    expect((await allocate({ codes: ['12426000000000101', '12426000000000105'] }).expect(201)).body).toMatchObject({ allocated: 32, remaining: 32 });
    const dup = await allocate({ from: '12426000000000030', to: '12426000000000031' }).expect(409);
    expect(dup.body).toMatchObject({ code: 'DUPLICATE_ORGANIC_CODE', details: { alreadyRecorded: 1 } });
    expect((await allocate({ codes: ['1242600000000010'] }).expect(400)).body).toMatchObject({ code: 'INVALID_ORGANIC_CODE', details: { field: 'codes[0]' } });
    const stranger = await createOrg(t, { name: '别家' });
    await allocate({ codes: ['12426000000000999'] }, stranger.token).expect(403);
    expect((await t.http().get(`/api/v1/marks/${organicId}/organic-codes`).set(auth(chengdu.token)).expect(200)).body).toMatchObject({ allocated: 32, used: 0, remaining: 32 });
  });

  it('gives each label of an organic print run its own code, printed after 「有机码」; a retry takes none twice; too large a run is refused', async () => {
    const first = await run(12, 'organic-run-1');
    expect(first.body).toMatchObject({ count: 12 });
    const retry = await run(12, 'organic-run-1').expect(201);
    expect(retry.body.id).toBe(first.body.id);
    const second = await run(8).expect(201);
    expect((await t.http().get(`/api/v1/marks/${organicId}/organic-codes`).set(auth(coop.token)).expect(200)).body).toMatchObject({ used: 20, remaining: 12 });

    const printed: string[] = [];
    for (const r of [first.body, second.body]) {
      const pdf = await t.http().get(`/api/v1/print-runs/${r.id}/labels.pdf?layout=a4-40`).set(auth(coop.token)).buffer(true).parse(binary).expect(200);
      const text = pdfText(pdf.body as Buffer);
      const codes = [...text.matchAll(/有机码\s*(\d{17})/g)].map((m) => m[1]);
      expect(codes).toHaveLength(r.count);
      printed.push(...codes);
      // Rendering again prints the same codes: rendering takes none.
      const again = pdfText((await t.http().get(`/api/v1/print-runs/${r.id}/labels.pdf?layout=roll-60x40`).set(auth(coop.token)).buffer(true).parse(binary).expect(200)).body as Buffer);
      expect([...again.matchAll(/有机码\s*(\d{17})/g)].map((m) => m[1]).sort()).toEqual([...codes].sort());
    }
    expect(new Set(printed).size).toBe(20);
    const stored = await db.query('SELECT code FROM organic_codes WHERE print_run_id IS NOT NULL ORDER BY code') as { code: string }[];
    expect(stored.map((s) => s.code)).toEqual([...printed].sort());

    const tooMany = await run(13).expect(409);
    expect(tooMany.body).toMatchObject({ code: 'ORGANIC_CODES_EXHAUSTED', details: { requested: 13, remaining: 12 } });
    expect((await db.query('SELECT count(*)::int AS n FROM print_runs WHERE batch_id = $1', [batchId]))[0].n).toBe(2);
    // Concurrent runs share what remains without taking a code twice: 3 × 4 fit exactly, a fourth does not.
    const racing = await Promise.all(Array.from({ length: 4 }, () => run(4)));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 201, 201, 409]);
    const [{ used, distinct }] = await db.query('SELECT count(print_run_id)::int AS used, count(DISTINCT (print_run_id, serial))::int AS distinct FROM organic_codes');
    expect({ used, distinct }).toEqual({ used: 32, distinct: 32 });
  });

  it('gives labels of batches without an organic claim no 有机码', async () => {
    const plainSite = await createSite(t, coop.token);
    const plainProduct = await createProduct(t, coop.token, { name: '普通猕猴桃' });
    const plain = (await t.http().post('/api/v1/batches').set(auth(coop.token))
      .send({ productId: plainProduct.id, siteId: plainSite.id, quantity: { value: '5', unit: 'kg' }, producedOn: '2026-10-08' }).expect(201)).body;
    const r = (await t.http().post(`/api/v1/batches/${plain.id}/print-runs`).set(auth(coop.token)).send({ count: 3 }).expect(201)).body;
    const pdf = await t.http().get(`/api/v1/print-runs/${r.id}/labels.pdf`).set(auth(coop.token)).buffer(true).parse(binary).expect(200);
    expect(pdfText(pdf.body as Buffer)).not.toContain('有机码');
  });
});
