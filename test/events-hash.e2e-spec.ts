import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { contextPrefixes, documentEvents, eventHashId, schemaProblems } from '../libs/epcis';
import { rehashEvents } from '../src/modules/events/rehash-events';
import { auth, createOrg, OrgWithKey } from './support/factories';
import { eventually } from './support/processes';
import { createTestApp, TestApp } from './support/test-app';

const FIXTURES = join(__dirname, 'fixtures');
const LD = 'application/ld+json';
const read = (folder: string, file: string) => JSON.parse(readFileSync(join(FIXTURES, folder, file), 'utf8')) as Record<string, unknown>;
const jsonld = (folder: string) => readdirSync(join(FIXTURES, folder)).filter((f) => f.endsWith('.jsonld')).sort();

/**
 * Issue 15, item 1 and 2: CBV 2.0 hash IDs on every stored event, the documents' @context prefixes kept
 * per capture and returned, and POST /api/v1/events/hash.
 */
describe('event hash IDs and captured namespaces through capture, query and export', () => {
  let t: TestApp;
  let db: DataSource;
  let farm: OrgWithKey;

  async function capture(token: string, document: unknown) {
    const res = await t.http().post('/api/v1/events').set(auth(token)).set('Content-Type', LD)
      .set('GS1-Capture-Error-Behaviour', 'proceed').send(JSON.stringify(document)).expect(202);
    return eventually(async () => {
      const job = await t.http().get(res.headers.location as string).set(auth(token)).expect(200);
      return job.body.running ? undefined : job.body as { success: boolean; capturedCount: number; duplicateCount: number; errors: unknown[] };
    });
  }

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    farm = await createOrg(t, { name: '蒲江县标准测试合作社' });
  });
  afterAll(() => t.close());

  it('stores the reference hash of every reference-vector event the capture accepts, and exports it recomputable', async () => {
    const expected = new Set<string>();
    for (const file of jsonld('epcis-hash-vectors')) {
      if (file.includes('IgnoreFields')) continue; // the tool's own ignoreFields convention, not CBV
      const doc = read('epcis-hash-vectors', file);
      const hashes = readFileSync(join(FIXTURES, 'epcis-hash-vectors', file.replace('.jsonld', '.hashes')), 'utf8').trim().split('\n');
      if (schemaProblems(doc).length > 0) continue; // e.g. events older schemas allowed; not capturable
      const job = await capture(farm.token, doc);
      expect({ file, errors: job.errors }).toEqual({ file, errors: [] });
      for (const h of hashes) expected.add(h);
    }
    expect(expected.size).toBeGreaterThan(25);
    const stored = new Set((await db.query('SELECT hash_id FROM epcis_events WHERE recorded_by = $1', [farm.id]) as { hash_id: string }[]).map((r) => r.hash_id));
    expect([...expected].filter((h) => !stored.has(h))).toEqual([]);

    // the export declares every capture's prefixes: recomputing each event's hash from the export gives the stored one
    const exported = await t.http().get('/api/v1/events').query({ format: 'epcis', perPage: 1000 }).set(auth(farm.token)).expect(200);
    expect(schemaProblems(exported.body)).toEqual([]);
    const prefixes = contextPrefixes(exported.body['@context']);
    expect(Object.values(prefixes)).toEqual(expect.arrayContaining(['https://ns.example.com/epcis/']));
    // (an error declaration's row is stored under `{eventID}#declared-{capture}`; its document keeps the eventID)
    const rows = await db.query(`SELECT document->>'eventID' AS id, hash_id FROM epcis_events WHERE recorded_by = $1`, [farm.id]) as { id: string; hash_id: string }[];
    const events = documentEvents(exported.body as Record<string, unknown>);
    expect(events.length).toBe(rows.length);
    for (const event of events) {
      const hashes = rows.filter((r) => r.id === event.eventID).map((r) => r.hash_id);
      expect({ id: event.eventID, stored: hashes.includes(eventHashId(event, prefixes)) }).toEqual({ id: event.eventID, stored: true });
    }
    // the JSON answer names the same prefixes
    const page = await t.http().get('/api/v1/events').query({ perPage: 1000 }).set(auth(farm.token)).expect(200);
    expect(page.body.prefixes).toEqual(prefixes);
  });

  it('round-trips every official EPCIS example: captured, exported and captured back are the same events', async () => {
    const org = await createOrg(t, { name: '蒲江县往返测试合作社' });
    for (const file of jsonld('epcis-examples')) expect((await capture(org.token, read('epcis-examples', file))).errors).toEqual([]);
    const exported = await t.http().get('/api/v1/events').query({ format: 'epcis', perPage: 1000 }).set(auth(org.token)).expect(200);
    // An exported error declaration captured again is a new declaration (by design): the others are duplicates.
    const events = documentEvents(exported.body as Record<string, unknown>).filter((e) => !e.errorDeclaration);
    expect(events.length).toBeGreaterThan(10);
    const again = await capture(org.token, { ...exported.body, epcisBody: { eventList: events } });
    expect(again).toMatchObject({ success: true, capturedCount: 0, duplicateCount: events.length });
  });

  it('POST /api/v1/events/hash gives the reference hash IDs and pre-hash strings, and stores nothing', async () => {
    const doc = read('epcis-hash-vectors', 'ReferenceEventHashAlgorithm.jsonld');
    const res = await t.http().post('/api/v1/events/hash').set(auth(farm.token)).set('Content-Type', LD).send(JSON.stringify(doc)).expect(200);
    const hashes = readFileSync(join(FIXTURES, 'epcis-hash-vectors', 'ReferenceEventHashAlgorithm.hashes'), 'utf8').trim().split('\n');
    const prehashes = readFileSync(join(FIXTURES, 'epcis-hash-vectors', 'ReferenceEventHashAlgorithm.prehashes'), 'utf8').trim().split('\n');
    expect(res.body.events).toEqual([{ index: 0, eventID: null, hashID: hashes[0], preHashString: prehashes[0] }]);
    const single = await t.http().post('/api/v1/events/hash').set(auth(farm.token)).send({ type: 'ObjectEvent', eventTime: '2026-01-01T00:00:00Z', eventTimeZoneOffset: '+08:00', action: 'OBSERVE' }).expect(200);
    expect(single.body.events[0].hashID).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    const empty = await t.http().post('/api/v1/events/hash').set(auth(farm.token)).send([]).expect(400);
    expect(empty.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: '/', rule: 'required' } });
    const untyped = await t.http().post('/api/v1/events/hash').set(auth(farm.token)).send([{ eventTime: 'x' }]).expect(400);
    expect(untyped.body.details).toMatchObject({ field: '/0/type', rule: 'required' });
    await t.http().post('/api/v1/events/hash').send(doc).expect(401);
  });

  it('recomputes hash IDs made by the earlier algorithm, keeping eventIDs', async () => {
    const [row] = await db.query(`SELECT id, event_id, hash_id FROM epcis_events WHERE recorded_by = $1 LIMIT 1`, [farm.id]) as { id: string; event_id: string; hash_id: string }[];
    await db.query(`UPDATE epcis_events SET hash_id = 'ni:///sha-256;old?ver=CBV2.0', hash_version = 1 WHERE id = $1`, [row.id]);
    expect(await rehashEvents(db, t.config.publicBaseUrl)).toBe(1);
    const [after] = await db.query('SELECT event_id, hash_id, hash_version FROM epcis_events WHERE id = $1', [row.id]);
    expect(after).toEqual({ event_id: row.event_id, hash_id: row.hash_id, hash_version: 2 });
    expect(await rehashEvents(db, t.config.publicBaseUrl)).toBe(0);
  });
});
