import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { auth, createBatch, createOrg, createProduct, createSite, OrgWithKey, uniqueGtin13 } from './support/factories';
import { eventually, startNode, Started, stop } from './support/processes';
import { ADMIN_TOKEN, AUDIT_SIGNING_KEY, createTestApp, TestApp } from './support/test-app';

/**
 * EPCIS capture between tenants: what one organisation captures cannot rewrite, borrow or squat
 * another's records. Two organisations — a victim with a genuine lot and an attacker — on real
 * PostgreSQL; captures run as jobs (in-process here, in the worker process in the last suite).
 */
const LD = 'application/ld+json';
const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'];

type Errors = { index: number; eventID: string | null; code: string; message: string }[];
interface Job { success: boolean; capturedCount: number; duplicateCount: number; errors: Errors }

const documentOf = (events: Record<string, unknown>[]) => ({
  '@context': CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-11-20T08:00:00Z', epcisBody: { eventList: events },
});
const kg = (epcClass: string, quantity: number) => ({ epcClass, quantity, uom: 'KGM' });
const codes = (job: Job) => job.errors.map((e) => [e.index, e.code]);

function transformation(inputs: [string, number][], outputs: [string, number][], eventTime: string): Record<string, unknown> {
  return {
    type: 'TransformationEvent', eventTime, eventTimeZoneOffset: '+08:00', bizStep: 'commissioning',
    inputQuantityList: inputs.map(([c, q]) => kg(c, q)), outputQuantityList: outputs.map(([c, q]) => kg(c, q)),
  };
}

function observation(eventID: string, epc: string, eventTime: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'ObjectEvent', eventID, action: 'OBSERVE', bizStep: 'inspecting', eventTime, eventTimeZoneOffset: '+08:00', epcList: [epc], ...extra };
}

/** A partner's serialised item, unique to this run (so other suites' rows never match). */
const itemEpc = () => `urn:epc:id:sgtin:4012345.011111.${randomUUID().slice(0, 8)}`;

function captureWith(t: TestApp, context?: () => string) {
  return async (token: string, events: Record<string, unknown>[], behaviour?: string): Promise<Job> => {
    const req = t.http().post('/api/v1/events').set(auth(token)).set('Content-Type', LD);
    if (behaviour) void req.set('GS1-Capture-Error-Behaviour', behaviour);
    const res = await req.send(JSON.stringify(documentOf(events))).expect(202);
    return eventually(async () => {
      const job = await t.http().get(res.headers.location as string).set(auth(token)).expect(200);
      return job.body.running ? undefined : job.body as Job;
    }, undefined, undefined, context);
  };
}

describe('EPCIS capture between tenants', () => {
  let t: TestApp;
  let db: DataSource;
  let capture: ReturnType<typeof captureWith>;
  let victim: OrgWithKey;
  let attacker: OrgWithKey;
  let victimProduct: { id: string; gtin: string | null };
  let attackerProduct: { id: string; gtin: string | null };
  let base: string;

  const lotUri = (product: { gtin: string | null }, lotCode: string) => `${base}/01/${product.gtin!.padStart(14, '0')}/10/${lotCode}`;
  const party = (org: OrgWithKey) => `${base}/party/${org.id}`;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    capture = captureWith(t);
    base = t.config.publicBaseUrl;
    victim = await createOrg(t, { name: '蒲江县诚信猕猴桃合作社' });
    attacker = await createOrg(t, { name: '冒牌果业有限公司', kind: 'enterprise' });
    victimProduct = await createProduct(t, victim.token, { name: '蒲江猕猴桃', gtin: uniqueGtin13() });
    attackerProduct = await createProduct(t, attacker.token, { name: '猕猴桃', gtin: uniqueGtin13() });
  });
  afterAll(() => t.close());

  describe('provenance: captured events take platform lots under the rules of POST /transformations', () => {
    it("refuses a transformation that takes another organisation's lot, as if the lot did not exist", async () => {
      const genuine = await createBatch(t, victim.token, { productId: victimProduct.id, quantity: { value: '100', unit: 'kg' } });
      const fake = await createBatch(t, attacker.token, { productId: attackerProduct.id, quantity: { value: '100000', unit: 'kg' } });
      const victimUri = lotUri(victimProduct, genuine.lotCode);
      const forged = transformation([[victimUri, 100_000]], [[lotUri(attackerProduct, fake.lotCode), 100_000]], '2026-11-20T09:00:00+08:00');

      for (const behaviour of ['rollback', 'proceed']) {
        const job = await capture(attacker.token, [forged], behaviour);
        expect(codes(job)).toEqual([[0, 'UNKNOWN_LOT']]);
        expect(job.capturedCount).toBe(0);
        // the same answer as for a lot that does not exist: nothing tells the lot is there
        expect(job.errors[0].message).toBe(`No lot on this platform is identified by ${victimUri}`);
      }
      const missing = lotUri(victimProduct, 'NO-SUCH-LOT');
      const unknown = await capture(attacker.token, [transformation([[missing, 1]], [[lotUri(attackerProduct, fake.lotCode), 1]], '2026-11-20T09:01:00+08:00')]);
      expect(unknown.errors[0]).toMatchObject({ code: 'UNKNOWN_LOT', message: `No lot on this platform is identified by ${missing}` });

      // nor may it claim the victim's lot came out of its own
      const own = await createBatch(t, attacker.token, { productId: attackerProduct.id, quantity: { value: '10', unit: 'kg' } });
      const into = await capture(attacker.token, [transformation([[lotUri(attackerProduct, own.lotCode), 10]], [[victimUri, 10]], '2026-11-20T09:02:00+08:00')]);
      expect(into.errors[0]).toMatchObject({ code: 'UNKNOWN_LOT', message: `No lot on this platform is identified by ${victimUri}` });

      // nothing links the lots: the attacker's trace, its public page and the victim's recall stay apart
      expect(await db.query('SELECT 1 FROM lot_links WHERE $1 IN (from_batch_id, to_batch_id) OR to_batch_id = $2', [genuine.id, fake.id])).toEqual([]);
      const trace = await t.http().get(`/api/v1/batches/${fake.id}/trace?direction=up`).set(auth(attacker.token)).expect(200);
      expect(trace.body.lots.map((l: { id: string }) => l.id)).toEqual([fake.id]);
      const page = await t.http().get(`/t/${fake.traceCode}`).expect(200);
      expect(page.text).not.toContain('蒲江县诚信猕猴桃合作社');
      const recall = await t.http().post('/api/v1/recalls').set(auth(victim.token)).send({ batchId: genuine.id, reason: '演练：模拟召回', mock: true }).expect(201);
      expect(recall.body.affectedOrganizations.map((o: { organizationId: string }) => o.organizationId)).toEqual([victim.id]);
    });

    it("refuses a captured shipment of another organisation's lot", async () => {
      const genuine = await createBatch(t, victim.token, { productId: victimProduct.id, quantity: { value: '100', unit: 'kg' } });
      const victimUri = lotUri(victimProduct, genuine.lotCode);
      const shipping = {
        type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', eventTime: '2026-11-20T10:00:00+08:00', eventTimeZoneOffset: '+08:00',
        quantityList: [kg(victimUri, 100_000)],
        sourceList: [{ type: 'owning_party', source: party(victim) }],
        destinationList: [{ type: 'owning_party', destination: party(attacker) }],
      };
      const job = await capture(attacker.token, [shipping], 'proceed');
      expect(codes(job)).toEqual([[0, 'UNKNOWN_LOT']]);
      const seen = await t.http().get('/api/v1/events').query({ MATCH_epcClass: victimUri }).set(auth(victim.token)).expect(200);
      expect(seen.body.items).toEqual([]);
      // the owner may capture its own shipment, within what the lot holds
      const over = await capture(victim.token, [shipping]);
      expect(codes(over)).toEqual([[0, 'INSUFFICIENT_QUANTITY']]);
      const fine = await capture(victim.token, [{ ...shipping, quantityList: [kg(victimUri, 60)] }]);
      expect(fine).toMatchObject({ success: true, capturedCount: 1, errors: [] });
    });

    it('keeps mass balance across captured transformations, POST /transformations and shipments', async () => {
      const site = await createSite(t, attacker.token);
      const input = await createBatch(t, attacker.token, { productId: attackerProduct.id, siteId: site.id, quantity: { value: '100', unit: 'kg' } });
      const [out1, out2] = [
        await createBatch(t, attacker.token, { productId: attackerProduct.id, siteId: site.id, quantity: { value: '60', unit: 'kg' } }),
        await createBatch(t, attacker.token, { productId: attackerProduct.id, siteId: site.id, quantity: { value: '60', unit: 'kg' } }),
      ];
      const inUri = lotUri(attackerProduct, input.lotCode);
      const too = await capture(attacker.token, [transformation([[inUri, 150]], [[lotUri(attackerProduct, out1.lotCode), 150]], '2026-11-21T09:00:00+08:00')]);
      expect(codes(too)).toEqual([[0, 'INSUFFICIENT_QUANTITY']]);
      expect(too.errors[0].message).toContain('only 100 kg of this lot is available');

      const first = await capture(attacker.token, [transformation([[inUri, 60]], [[lotUri(attackerProduct, out1.lotCode), 60]], '2026-11-21T09:01:00+08:00')]);
      expect(first).toMatchObject({ success: true, capturedCount: 1, errors: [] });
      expect(await db.query('SELECT kind FROM lot_links WHERE from_batch_id = $1 AND to_batch_id = $2', [input.id, out1.id])).toEqual([{ kind: 'capture' }]);
      // what a capture took is gone for everyone: a second capture, a transformation, a shipment
      const second = await capture(attacker.token, [transformation([[inUri, 60]], [[lotUri(attackerProduct, out2.lotCode), 60]], '2026-11-21T09:02:00+08:00')]);
      expect(codes(second)).toEqual([[0, 'INSUFFICIENT_QUANTITY']]);
      const api = await t.http().post('/api/v1/transformations').set(auth(attacker.token)).send({
        kind: 'splitting', inputs: [{ batchId: input.id, quantity: { value: '41', unit: 'kg' } }],
        outputs: [{ batchId: out2.id, quantity: { value: '41', unit: 'kg' } }],
      }).expect(422);
      expect(api.body).toMatchObject({ code: 'INSUFFICIENT_QUANTITY', details: { available: { value: '40', unit: 'kg' } } });

      // two events of one document share the lot too: the second one fails, and rollback stores neither
      const both = [
        transformation([[inUri, 30]], [[lotUri(attackerProduct, out2.lotCode), 30]], '2026-11-21T09:03:00+08:00'),
        transformation([[inUri, 30]], [[lotUri(attackerProduct, out2.lotCode), 30]], '2026-11-21T09:04:00+08:00'),
      ];
      const rolledBack = await capture(attacker.token, both);
      expect(rolledBack).toMatchObject({ success: false, capturedCount: 0 });
      expect(codes(rolledBack)).toEqual([[1, 'INSUFFICIENT_QUANTITY']]);
      const proceeded = await capture(attacker.token, both, 'proceed');
      expect(proceeded).toMatchObject({ success: true, capturedCount: 1 });
      expect(codes(proceeded)).toEqual([[1, 'INSUFFICIENT_QUANTITY']]);
      const ship = await t.http().post('/api/v1/shipments').set(auth(attacker.token))
        .send({ batchId: input.id, toOrganizationId: victim.id, quantity: { value: '10.001', unit: 'kg' } }).expect(422);
      expect(ship.body.code).toBe('INSUFFICIENT_QUANTITY');

      // a platform input needs a quantity in the lot's dimension
      const noQuantity = await capture(attacker.token, [{
        ...transformation([], [[lotUri(attackerProduct, out2.lotCode), 1]], '2026-11-21T09:05:00+08:00'), inputQuantityList: [{ epcClass: inUri }],
      }]);
      expect(codes(noQuantity)).toEqual([[0, 'INVALID_QUANTITY']]);
      const counted = await capture(attacker.token, [{
        ...transformation([], [[lotUri(attackerProduct, out2.lotCode), 1]], '2026-11-21T09:06:00+08:00'), inputQuantityList: [{ epcClass: inUri, quantity: 1 }],
      }]);
      expect(codes(counted)).toEqual([[0, 'UNIT_MISMATCH']]);
    });
  });

  describe('errorDeclaration: an organisation corrects only its own events', () => {
    it("answers EVENT_NOT_OWNED for another organisation's event (captured or recorded by the platform)", async () => {
      const eventID = `urn:uuid:${randomUUID()}`;
      const epc = itemEpc();
      const original = observation(eventID, epc, '2026-11-22T08:00:00+08:00');
      expect(await capture(victim.token, [original])).toMatchObject({ success: true, capturedCount: 1 });
      const lot = await createBatch(t, victim.token, { productId: victimProduct.id, quantity: { value: '10', unit: 'kg' } });
      const shipped = await t.http().post('/api/v1/shipments').set(auth(victim.token))
        .send({ batchId: lot.id, toOrganizationId: attacker.id, quantity: { value: '1', unit: 'kg' } }).expect(201);
      const declaration = (id: string) => ({
        ...observation(id, epc, '2026-11-22T08:00:00+08:00'),
        errorDeclaration: { declarationTime: '2026-11-22T09:00:00+08:00', reason: 'incorrect_data' },
      });

      for (const target of [eventID, shipped.body.eventID as string]) {
        for (const behaviour of ['rollback', 'proceed']) {
          const job = await capture(attacker.token, [declaration(target)], behaviour);
          expect(codes(job)).toEqual([[0, 'EVENT_NOT_OWNED']]);
          expect(job.capturedCount).toBe(0);
        }
        const rows = await db.query('SELECT error_declaration FROM epcis_events WHERE event_id = $1', [target]);
        expect(rows).toEqual([{ error_declaration: null }]);
      }
      // the receiver of the shipment did not record its shipping event either
      const seen = await t.http().get('/api/v1/events').query({ MATCH_epc: epc }).set(auth(victim.token)).expect(200);
      expect(seen.body.items.map((e: Record<string, unknown>) => e.errorDeclaration)).toEqual([undefined]);
    });

    it('corrects its own captured and platform-recorded events, audited with the event and the capturing key', async () => {
      const operator = await t.http().post(`/api/v1/organizations/${victim.id}/api-keys`).set(auth(victim.token)).send({ role: 'operator' }).expect(201);
      const eventID = `urn:uuid:${randomUUID()}`;
      const epc = itemEpc();
      await capture(operator.body.token, [observation(eventID, epc, '2026-11-23T08:00:00+08:00')]);
      const lot = await createBatch(t, victim.token, { productId: victimProduct.id, quantity: { value: '10', unit: 'kg' } });
      const shipped = await t.http().post('/api/v1/shipments').set(auth(victim.token))
        .send({ batchId: lot.id, toOrganizationId: attacker.id, quantity: { value: '1', unit: 'kg' } }).expect(201);
      const declared = { declarationTime: '2026-11-23T09:00:00+08:00', reason: 'incorrect_data' };

      for (const target of [eventID, shipped.body.eventID as string]) {
        const job = await capture(operator.body.token, [{ ...observation(target, epc, '2026-11-23T08:00:00+08:00'), errorDeclaration: declared }]);
        expect(job).toMatchObject({ success: true, capturedCount: 1, errors: [] });
        const [row] = await db.query('SELECT id, error_declaration FROM epcis_events WHERE event_id = $1', [target]);
        expect(row.error_declaration).toEqual(declared);
        const audit = await t.http().get('/api/v1/audit').query({ subject: `epcis_events:${row.id}` }).set(auth(victim.token)).expect(200);
        expect(audit.body.items).toEqual([expect.objectContaining({
          action: 'epcis_event.error_declared',
          actor: { kind: 'operator', id: operator.body.id, organizationId: victim.id },
          subject: { type: 'epcis_events', id: row.id },
          organizationId: victim.id,
          details: expect.objectContaining({ eventID: target, reason: 'incorrect_data' }),
        })]);
      }
      const seen = await t.http().get('/api/v1/events').query({ MATCH_epc: epc }).set(auth(victim.token)).expect(200);
      expect(seen.body.items.find((e: { eventID: string }) => e.eventID === eventID)).toMatchObject({ errorDeclaration: declared });
    });
  });

  describe('eventID squatting: events are stored per capturing organisation', () => {
    it("stores the owner's event although another organisation captured its eventID first", async () => {
      const eventID = `urn:uuid:${randomUUID()}`;
      const epc = itemEpc();
      const genuine = observation(eventID, epc, '2026-11-24T08:00:00+08:00', { bizStep: 'receiving' });
      const squatted = await capture(attacker.token, [observation(eventID, itemEpc(), '2026-01-01T00:00:00+08:00')]);
      expect(squatted).toMatchObject({ success: true, capturedCount: 1 });

      const job = await capture(victim.token, [genuine]);
      expect(job).toMatchObject({ success: true, capturedCount: 1, duplicateCount: 0, errors: [] });
      const mine = await t.http().get('/api/v1/events').query({ MATCH_epc: epc }).set(auth(victim.token)).expect(200);
      expect(mine.body.items).toEqual([expect.objectContaining({ eventID, bizStep: 'receiving', epcList: [epc] })]);

      // the same body again is a duplicate; another body under the same eventID is an error, never a silent success
      expect(await capture(victim.token, [genuine])).toMatchObject({ success: true, capturedCount: 0, duplicateCount: 1, errors: [] });
      for (const behaviour of ['rollback', 'proceed']) {
        const conflict = await capture(victim.token, [{ ...genuine, bizStep: 'shipping' }], behaviour);
        expect(codes(conflict)).toEqual([[0, 'EVENT_ID_CONFLICT']]);
        expect(conflict.capturedCount).toBe(0);
      }
      const twice = await capture(victim.token, [observation(`urn:uuid:${randomUUID()}`, epc, '2026-11-24T09:00:00+08:00'), genuine, { ...genuine, bizStep: 'shipping' }], 'proceed');
      expect(twice).toMatchObject({ capturedCount: 1, duplicateCount: 1 });
      expect(codes(twice)).toEqual([[2, 'EVENT_ID_CONFLICT']]);
      const rows = await db.query('SELECT biz_step FROM epcis_events WHERE event_id = $1 ORDER BY record_time', [eventID]);
      expect(rows.map((r: { biz_step: string }) => r.biz_step)).toEqual(['inspecting', 'receiving']);
      // the platform admin's captures are its own as well
      expect(await capture(ADMIN_TOKEN, [genuine])).toMatchObject({ capturedCount: 1, duplicateCount: 0 });
      expect(await capture(ADMIN_TOKEN, [genuine])).toMatchObject({ capturedCount: 0, duplicateCount: 1 });
    });

    it('keeps the shipper\'s and the receiver\'s capture of one event, each seeing it once', async () => {
      const eventID = `urn:uuid:${randomUUID()}`;
      const epc = itemEpc();
      const shipping = observation(eventID, epc, '2026-11-25T08:00:00+08:00', {
        bizStep: 'shipping',
        sourceList: [{ type: 'owning_party', source: party(victim) }],
        destinationList: [{ type: 'owning_party', destination: party(attacker) }],
      });
      expect(await capture(victim.token, [shipping])).toMatchObject({ capturedCount: 1 });
      expect(await capture(attacker.token, [shipping])).toMatchObject({ capturedCount: 1, duplicateCount: 0 });
      expect(await db.query('SELECT count(*)::int AS n FROM epcis_events WHERE event_id = $1', [eventID])).toEqual([{ n: 2 }]);
      for (const org of [victim, attacker]) {
        const seen = await t.http().get('/api/v1/events').query({ MATCH_epc: epc }).set(auth(org.token)).expect(200);
        expect(seen.body.items.map((e: { eventID: string }) => e.eventID)).toEqual([eventID]);
      }
      const admin = await t.http().get('/api/v1/events').query({ MATCH_epc: epc, format: 'epcis' }).set(auth(ADMIN_TOKEN)).expect(200);
      expect(admin.body.epcisBody.eventList).toHaveLength(1);
      // a correction by one party leaves the other's record alone, and both records show
      await capture(attacker.token, [{ ...shipping, errorDeclaration: { declarationTime: '2026-11-25T09:00:00+08:00', reason: 'did_not_occur' } }]);
      const victimView = await t.http().get('/api/v1/events').query({ MATCH_epc: epc }).set(auth(victim.token)).expect(200);
      expect(victimView.body.items.filter((e: { eventID: string }) => e.eventID === eventID).map((e: Record<string, unknown>) => e.errorDeclaration ?? null))
        .toEqual(expect.arrayContaining([null, expect.objectContaining({ reason: 'did_not_occur' })]));
    });
  });
});

/** The production path: the same captures, run by a real worker process over BullMQ. */
describe('EPCIS capture between tenants, in the worker process', () => {
  let t: TestApp;
  let worker: Started;

  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: process.env.TEST_REDIS_URL });
    worker = startNode('worker.js', {
      DATABASE_URL: t.config.databaseUrl!, REDIS_URL: t.config.redisUrl!, ADMIN_TOKEN, SECRET_KEY: t.config.secretKey, AUDIT_SIGNING_KEY,
      PUBLIC_BASE_URL: t.config.publicBaseUrl, QUEUE_PREFIX: t.config.queuePrefix, FILES_DIR: t.config.filesDir, LOG_LEVEL: 'info',
    });
    await eventually(async () => (worker.output().includes('worker ready') ? true : undefined), undefined, undefined, () => worker.output());
  });
  afterAll(async () => {
    await stop(worker);
    await t.close();
  });

  it("refuses another organisation's lot and its events, and audits a correction as the capturing key", async () => {
    const capture = captureWith(t, () => worker.output());
    const base = t.config.publicBaseUrl;
    const victim = await createOrg(t);
    const attacker = await createOrg(t);
    const vp = await createProduct(t, victim.token, { gtin: uniqueGtin13() });
    const ap = await createProduct(t, attacker.token, { gtin: uniqueGtin13() });
    const genuine = await createBatch(t, victim.token, { productId: vp.id, quantity: { value: '100', unit: 'kg' } });
    const fake = await createBatch(t, attacker.token, { productId: ap.id, quantity: { value: '100000', unit: 'kg' } });
    const uri = (p: { gtin: string | null }, lot: string) => `${base}/01/${p.gtin!.padStart(14, '0')}/10/${lot}`;
    const forged = await capture(attacker.token, [transformation([[uri(vp, genuine.lotCode), 100_000]], [[uri(ap, fake.lotCode), 100_000]], '2026-11-20T09:00:00+08:00')]);
    expect(codes(forged)).toEqual([[0, 'UNKNOWN_LOT']]);

    const eventID = `urn:uuid:${randomUUID()}`;
    const epc = itemEpc();
    await capture(victim.token, [observation(eventID, epc, '2026-11-22T08:00:00+08:00')]);
    const declaration = { ...observation(eventID, epc, '2026-11-22T08:00:00+08:00'), errorDeclaration: { declarationTime: '2026-11-22T09:00:00+08:00', reason: 'incorrect_data' } };
    expect(codes(await capture(attacker.token, [declaration]))).toEqual([[0, 'EVENT_NOT_OWNED']]);
    expect(await capture(victim.token, [declaration])).toMatchObject({ success: true, errors: [] });
    const db = t.app.get(DataSource);
    const [row] = await db.query('SELECT id FROM epcis_events WHERE event_id = $1', [eventID]);
    const audit = await t.http().get('/api/v1/audit').query({ subject: `epcis_events:${row.id}` }).set(auth(victim.token)).expect(200);
    expect(audit.body.items).toEqual([expect.objectContaining({
      action: 'epcis_event.error_declared', actor: expect.objectContaining({ kind: 'org_admin', organizationId: victim.id }),
    })]);
  });
});
