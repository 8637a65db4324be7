import type { Response } from 'superagent';
import { DataSource } from 'typeorm';
import { LABEL_LAYOUTS } from '../libs/labels';
import { crop, decodePng, decodeQr, pdfText, rasterisePdf, requirePoppler } from '../libs/testing/raster';
import { auth, createBatch, createOrg, createProduct, createSite, uniqueGtin13 } from './support/factories';
import { eventually } from './support/processes';
import { createTestApp, TestApp } from './support/test-app';

/** supertest parser that keeps a response body as a Buffer (PDF, PNG). */
const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

/** Every QR on every A4 cell, in reading order (rows of 4). */
function decodeSheet(pdf: Buffer, dpi = 200): (string | null)[] {
  const spec = LABEL_LAYOUTS['a4-40'];
  const px = dpi / 25.4;
  return rasterisePdf(pdf, dpi).flatMap((page) => {
    const out: (string | null)[] = [];
    for (let row = 0; row < spec.rows; row++) {
      for (let col = 0; col < spec.columns; col++) {
        out.push(decodeQr(crop(page, col * spec.labelWidthMm * px, row * spec.labelHeightMm * px, spec.labelWidthMm * px, spec.labelHeightMm * px)));
      }
    }
    return out;
  });
}

describe('print runs and labels', () => {
  let t: TestApp;
  let db: DataSource;
  let org: Awaited<ReturnType<typeof createOrg>>;

  beforeAll(async () => {
    requirePoppler();
    t = await createTestApp({ LABEL_SYNC_MAX: '100' });
    db = t.app.get(DataSource);
    org = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
  });
  afterAll(() => t.close());

  it('issues serialised codes in consecutive, non-overlapping ranges', async () => {
    const batch = await createBatch(t, org.token);
    const [a, b] = await Promise.all([
      t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 3 }).expect(201),
      t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 5 }).expect(201),
    ]);
    const ranges = [a.body, b.body].map((r) => [r.firstSerial, r.lastSerial]).sort((x, y) => x[0] - y[0]);
    // whichever run took the row lock first got serials 1…n; the other continues after it
    expect(ranges[0][0]).toBe(1);
    expect(ranges[1][0]).toBe(ranges[0][1] + 1);
    expect(ranges[1][1]).toBe(8);
    const rows = await db.query('SELECT serial FROM trace_codes WHERE batch_id = $1 AND kind = $2 ORDER BY serial', [batch.id, 'item']);
    expect(rows.map((r: { serial: number }) => r.serial)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('never duplicates codes on a retry with the same Idempotency-Key', async () => {
    const batch = await createBatch(t, org.token);
    const send = () => t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).set('Idempotency-Key', 'run-1').send({ count: 10 });
    const [x, y] = await Promise.all([send(), send()]);
    expect(x.body.id).toBe(y.body.id);
    const again = await send().expect(201);
    expect(again.body.id).toBe(x.body.id);
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM trace_codes WHERE batch_id = $1 AND kind = $2', [batch.id, 'item']);
    expect(n).toBe(10);
  });

  it.each([
    [{ count: 0 }, 'count'],
    [{ count: -5 }, 'count'],
    [{ count: 100001 }, 'count'],
    [{ count: 2.5 }, 'count'],
    [{ count: '10' }, 'count'],
    [{}, 'count'],
  ])('refuses %j with a 400 naming the field, issuing nothing', async (body, field) => {
    const batch = await createBatch(t, org.token);
    const res = await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send(body).expect(400);
    expect(JSON.stringify(res.body.details)).toContain(field);
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM trace_codes WHERE batch_id = $1 AND kind = $2', [batch.id, 'item']);
    expect(n).toBe(0);
  });

  it('refuses labels for a batch that is on hold, for new runs and for existing ones', async () => {
    const batch = await createBatch(t, org.token);
    const small = await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 2 }).expect(201);
    const large = await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 150 }).expect(201);
    await t.http().post(`/api/v1/batches/${batch.id}/status`).set(auth(org.token)).send({ status: 'on_hold', reason: '复检' }).expect(201);
    const res = await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 1 }).expect(422);
    expect(res.body.code).toBe('BATCH_NOT_ACTIVE');
    for (const run of [small.body, large.body]) {
      const labels = await t.http().get(`/api/v1/print-runs/${run.id}/labels.pdf`).set(auth(org.token)).expect(422);
      expect(labels.body.code).toBe('BATCH_NOT_ACTIVE');
    }
  });

  it('round-trips an A4 sheet: every QR decodes and resolves to its own item through the scan endpoint', async () => {
    const gtin = uniqueGtin13();
    const product = await createProduct(t, org.token, { name: '蒲江猕猴桃（红阳）', gtin });
    const site = await createSite(t, org.token);
    const batch = await createBatch(t, org.token, { productId: product.id, siteId: site.id, lotCode: '2610086EXT' });
    const plain = await createBatch(t, org.token); // no GTIN: /t/{code} URLs
    for (const [b, count] of [[batch, 44], [plain, 6]] as const) {
      const run = await t.http().post(`/api/v1/batches/${b.id}/print-runs`).set(auth(org.token)).send({ count }).expect(201);
      const pdf = await t.http().get(`/api/v1/print-runs/${run.body.id}/labels.pdf?layout=a4-40`).set(auth(org.token))
        .buffer(true).parse(binary).expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const decoded = decodeSheet(pdf.body as Buffer).slice(0, count);
      expect(decoded.every((d) => d !== null)).toBe(true);
      const codes = await db.query('SELECT code, serial FROM trace_codes WHERE print_run_id = $1 ORDER BY serial', [run.body.id]);
      for (const [i, url] of decoded.entries()) {
        const { pathname } = new URL(url!);
        expect(url!.startsWith('https://trace.example.cn/')).toBe(true);
        const scan = await t.http().get(pathname).set('Accept', 'application/json').expect(200);
        expect(scan.body).toMatchObject({ kind: 'item', code: codes[i].code, serial: codes[i].serial });
      }
      if (b === batch) expect(decoded[0]).toBe(`https://trace.example.cn/01/0${gtin}/10/2610086EXT/21/${codes[0].code}`);
      else expect(decoded[0]).toBe(`https://trace.example.cn/t/${codes[0].code}`);
      const text = pdfText(pdf.body as Buffer);
      expect(text).toContain('扫码溯源');
      expect(text).toContain('蒲江县绿源猕猴桃专业合作社');
    }
  });

  it('prints each label\'s trace code, grouped, on every layout; typed from the label in lower case it finds the item', async () => {
    const batch = await createBatch(t, org.token);
    const run = await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 5 }).expect(201);
    const codes: { code: string }[] = await db.query('SELECT code FROM trace_codes WHERE print_run_id = $1 ORDER BY serial', [run.body.id]);
    const grouped = codes.map(({ code }) => `${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8)}`);
    for (const layout of Object.keys(LABEL_LAYOUTS)) {
      const pdf = await t.http().get(`/api/v1/print-runs/${run.body.id}/labels.pdf?layout=${layout}`).set(auth(org.token))
        .buffer(true).parse(binary).expect(200);
      const text = pdfText(pdf.body as Buffer).replace(/\s+/g, ' ');
      for (const g of grouped) expect({ layout, g, found: text.includes(`追溯码 ${g}`) }).toEqual({ layout, g, found: true });
    }
    // What a consumer types from the label: the groups, lower case, or with hyphens.
    for (const typed of [grouped[0].toLowerCase(), grouped[0].replace(/ /g, '-')]) {
      const res = await t.http().get(`/t?code=${encodeURIComponent(typed)}`).redirects(0).expect(303);
      expect(res.headers.location).toBe(`/t/${codes[0].code}`);
    }
  });

  it('serves roll labels as PDF, ZPL and TSPL, and refuses printer languages on A4', async () => {
    const batch = await createBatch(t, org.token);
    const run = await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 3 }).expect(201);
    const base = `/api/v1/print-runs/${run.body.id}`;
    const codes: { code: string }[] = await db.query('SELECT code FROM trace_codes WHERE print_run_id = $1 ORDER BY serial', [run.body.id]);
    const roll = await t.http().get(`${base}/labels.pdf?layout=roll-60x40`).set(auth(org.token)).buffer(true).parse(binary).expect(200);
    expect(rasterisePdf(roll.body as Buffer, 200)).toHaveLength(3);
    const zpl = await t.http().get(`${base}/labels.zpl?layout=roll-60x40`).set(auth(org.token)).expect(200);
    expect(zpl.text.match(/\^XA/g)).toHaveLength(3);
    expect(zpl.text).toContain('^CI28');
    for (const { code } of codes) expect(zpl.text).toContain(code);
    const tspl = await t.http().get(`${base}/labels.tspl?layout=roll-60x80`).set(auth(org.token)).expect(200);
    expect(tspl.text).toContain('SIZE 60 mm,80 mm');
    for (const { code } of codes) expect(tspl.text).toContain(code);
    expect((await t.http().get(`${base}/labels.zpl?layout=a4-40`).set(auth(org.token)).expect(400)).body.code).toBe('LAYOUT_NOT_SUPPORTED');
    expect((await t.http().get(`${base}/labels.pdf?layout=letter`).set(auth(org.token)).expect(400)).body.details.fields[0].field).toBe('layout');
  });

  it('serves the batch QR as SVG and PNG holding the batch URL', async () => {
    const batch = await createBatch(t, org.token);
    const svg = await t.http().get(`/api/v1/batches/${batch.id}/qr.svg`).set(auth(org.token)).expect(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(String(svg.body ?? svg.text)).toContain('<svg');
    const png = await t.http().get(`/api/v1/batches/${batch.id}/qr.png`).set(auth(org.token)).buffer(true).parse(binary).expect(200);
    expect(decodePng(png.body as Buffer)).toBe(batch.traceUrl);
  });

  it('renders a large run as an in-process job: 202 with progress, then the file', async () => {
    const batch = await createBatch(t, org.token);
    const run = await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 150 }).expect(201);
    const url = `/api/v1/print-runs/${run.body.id}/labels.pdf?layout=a4-40`;
    const first = await t.http().get(url).set(auth(org.token)).expect(202);
    expect(first.headers['retry-after']).toBe('2');
    expect(first.body).toMatchObject({ format: 'pdf', layout: 'a4-40' });
    expect(['pending', 'rendering', 'done']).toContain(first.body.status);
    const done = await eventually(async () => {
      const res = await t.http().get(url).set(auth(org.token)).buffer(true).parse(binary);
      return res.status === 200 ? res : undefined;
    });
    expect(decodeSheet(done.body as Buffer).filter(Boolean)).toHaveLength(150);
    const status = await t.http().get(`/api/v1/print-runs/${run.body.id}`).set(auth(org.token)).expect(200);
    expect(status.body.renders[0]).toMatchObject({ status: 'done', progress: 100 });
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM label_renders WHERE print_run_id = $1', [run.body.id]);
    expect(n).toBe(1);
  });
});
