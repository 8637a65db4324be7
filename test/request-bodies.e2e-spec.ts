import { request as httpRequest, IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auth, createOrg, OrgWithKey } from './support/factories';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

const MIB = 1024 * 1024;
const LD = 'application/ld+json';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: { code?: string; [key: string]: unknown };
}

/**
 * Large bodies are checked before they are read (issue 13, item 4), over real HTTP: a request
 * announcing a huge body but sending only its first bytes must still be answered, which it can
 * only be if the server decided without waiting for the rest.
 */
describe('large request bodies: authentication and limits before the body is read', () => {
  let t: TestApp;
  let port: number;
  let org: OrgWithKey;

  /** Sends the headers and `first` bytes of a body announced as `length` bytes, and never the rest. */
  function announce(path: string, headers: OutgoingHttpHeaders, length: number, first = Buffer.alloc(64 * 1024, 0x20)): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path, agent: false, headers: { ...headers, 'content-length': length } });
      answerOf(req, resolve, reject);
      req.write(first);
    });
  }

  /** Streams `total` bytes as a chunked body (no Content-Length), stopping as soon as an answer arrives. */
  function stream(path: string, headers: OutgoingHttpHeaders, total: number): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path, agent: false, headers });
      let answered = false;
      answerOf(req, (answer) => { answered = true; resolve(answer); }, reject);
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (!answered && sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
  }

  function answerOf(req: ReturnType<typeof httpRequest>, resolve: (a: Answer) => void, reject: (e: Error) => void) {
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : {} });
      });
    });
    // The server may close the connection while the rest of the body is still being written.
    req.on('error', (error) => { if (!answered) reject(error); });
  }

  beforeAll(async () => {
    t = await createTestApp({ EPCIS_BODY_LIMIT_BYTES: String(2 * MIB), CSV_BODY_LIMIT_BYTES: String(2 * MIB) });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    org = await createOrg(t);
  });
  afterAll(() => t.close());

  it('refuses an unauthenticated 60 MB EPCIS capture with 401 before reading its body', async () => {
    const none = await announce('/api/v1/events', { 'content-type': LD }, 60 * MIB);
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('UNAUTHENTICATED');
    const unknown = await announce('/api/v1/events', { 'content-type': LD, ...auth('tt_not-a-real-key-0000000000') }, 60 * MIB);
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unauthenticated 60 MB CSV upload with 401 before reading its body', async () => {
    for (const path of ['/api/v1/limits/import', '/api/v1/gi/records.csv', '/api/v1/gi/authorisations.csv', '/api/v1/sampling/results.csv']) {
      const res = await announce(path, { 'content-type': 'text/csv' }, 60 * MIB);
      expect([path, res.status, res.body.code]).toEqual([path, 401, 'UNAUTHENTICATED']);
    }
  });

  it('refuses an authenticated capture over EPCIS_BODY_LIMIT_BYTES with 413, by its length or as it streams', async () => {
    const announced = await announce('/api/v1/events', { 'content-type': LD, ...auth(org.token) }, 3 * MIB);
    expect(announced.status).toBe(413);
    expect(announced.body.code).toBe('PAYLOAD_TOO_LARGE');
    const streamed = await stream('/api/v1/events', { 'content-type': LD, ...auth(org.token) }, 6 * MIB);
    expect(streamed.status).toBe(413);
    expect(streamed.body.code).toBe('PAYLOAD_TOO_LARGE');
    // the rest of the body is not drained: the connection is closed
    expect([announced.headers.connection, streamed.headers.connection]).toEqual(['close', 'close']);
  });

  it('refuses an authenticated CSV upload over CSV_BODY_LIMIT_BYTES with 413, by its length or as it streams', async () => {
    const announced = await announce('/api/v1/limits/import', { 'content-type': 'text/csv', ...auth(ADMIN_TOKEN) }, 3 * MIB);
    expect([announced.status, announced.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const streamed = await stream('/api/v1/limits/import', { 'content-type': 'text/csv', ...auth(ADMIN_TOKEN) }, 6 * MIB);
    expect([streamed.status, streamed.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('keeps every other route at 1 MiB whatever the media type, by length or as it streams', async () => {
    for (const type of [LD, 'text/csv', 'application/json']) {
      const announced = await announce('/api/v1/products', { 'content-type': type, ...auth(org.token) }, 10 * MIB);
      expect([type, announced.status, announced.body.code]).toEqual([type, 413, 'PAYLOAD_TOO_LARGE']);
      const streamed = await stream('/api/v1/products', { 'content-type': type, ...auth(org.token) }, 3 * MIB);
      expect([type, streamed.status, streamed.body.code]).toEqual([type, 413, 'PAYLOAD_TOO_LARGE']);
    }
    const unauthenticated = await announce('/api/v1/products', { 'content-type': LD }, 60 * MIB);
    expect(unauthenticated.status).toBe(413);
  });

  it('still accepts a capture larger than 1 MiB within the limit, and CSV uploads', async () => {
    const doc = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { ext: 'https://example.org/ext/' }],
      type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-11-20T08:00:00Z',
      epcisBody: { eventList: [{
        type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting', eventTime: '2026-11-20T08:00:00+08:00', eventTimeZoneOffset: '+08:00',
        quantityList: [{ epcClass: 'https://id.partner.example/01/09521234543213/10/BODYLIMIT', quantity: 5, uom: 'KGM' }],
        'ext:note': 'x'.repeat(1_500_000),
      }] },
    };
    const captured = await t.http().post('/api/v1/events').set(auth(org.token)).set('Content-Type', LD).send(JSON.stringify(doc)).expect(202);
    expect(captured.body.captureID).toEqual(expect.any(String));
    const csv = 'standard,edition,effective_from,analyte,analyte_en,kind,food,limit_mg_per_kg,verified,note\n'
      + 'GB 2763,2021,2021-09-03,测试体积菊酯,bodymethrin,mrl,水果,0.5,no,';
    const imported = await t.http().post('/api/v1/limits/import').set(auth(ADMIN_TOKEN)).set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(imported.body).toMatchObject({ rows: 1, inserted: 1 });
  });
});
