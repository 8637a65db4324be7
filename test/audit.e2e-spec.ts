import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { AuditService } from '../src/modules/audit/audit.service';
import { Product } from '../src/modules/products/product.entity';
import { auth, createBatch, createOrg, createProduct, createRegulator } from './support/factories';
import { ROOT } from './support/processes';
import { ADMIN_TOKEN, AUDIT_SIGNING_KEY, createTestApp, TestApp } from './support/test-app';

/**
 * The audit trail over HTTP and real PostgreSQL: entries appear in the transaction of the change,
 * carry who did it, are scoped like the data, and the verifier finds tampering done in SQL.
 * Other suites append to the same log at the same time: assertions look only at this suite's rows.
 */
describe('audit trail', () => {
  let t: TestApp;
  let db: DataSource;
  let owner: Awaited<ReturnType<typeof createOrg>>;
  let batch: Awaited<ReturnType<typeof createBatch>>;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    owner = await createOrg(t);
    batch = await createBatch(t, owner.token);
  });
  afterAll(() => t.close());

  const entriesOf = async (token: string, subject: string) =>
    (await t.http().get('/api/v1/audit').query({ subject }).set(auth(token)).expect(200)).body.items as {
      seq: number; action: string; actor: { kind: string; id: string | null; organizationId: string | null };
      beforeDigest: string | null; afterDigest: string | null; details: Record<string, unknown> | null; organizationId: string;
    }[];

  it('records every change of a batch with the actor, oldest last', async () => {
    await t.http().post(`/api/v1/batches/${batch.id}/status`).set(auth(owner.token)).send({ status: 'on_hold', reason: '抽检不合格 复检中' }).expect(201);
    const items = await entriesOf(owner.token, `batches:${batch.id}`);
    expect(items.map((e) => e.action)).toEqual(['batch.on_hold', 'batches.update', 'batches.update', 'batches.insert']);
    for (const e of items) expect(e.actor).toMatchObject({ kind: 'org_admin', organizationId: owner.id });
    expect(items[0].details).toEqual({ from: 'active', to: 'on_hold', reason: '抽检不合格 复检中' });
    const [, statusUpdate, codeUpdate, insert] = items;
    expect(insert.beforeDigest).toBeNull();
    expect(insert.afterDigest).toMatch(/^[0-9a-f]{64}$/);
    // Digests of the stored row: each change's before is the previous change's after.
    expect(codeUpdate.beforeDigest).toBe(insert.afterDigest);
    expect(statusUpdate.beforeDigest).toBe(codeUpdate.afterDigest);
    expect(statusUpdate.afterDigest).not.toBe(statusUpdate.beforeDigest);
  });

  it('records organisations, api keys (created and revoked), products and sites', async () => {
    const orgItems = await entriesOf(ADMIN_TOKEN, `organizations:${owner.id}`);
    expect(orgItems.map((e) => [e.action, e.actor.kind])).toEqual([['organizations.insert', 'admin']]);
    const key = await t.http().post(`/api/v1/organizations/${owner.id}/api-keys`).set(auth(owner.token)).send({ role: 'operator' }).expect(201);
    await t.http().delete(`/api/v1/organizations/${owner.id}/api-keys/${key.body.id}`).set(auth(owner.token)).expect(204);
    const keyItems = await entriesOf(owner.token, `api_keys:${key.body.id}`);
    expect(keyItems.map((e) => e.action)).toEqual(['api_keys.update', 'api_keys.insert']);
    const all = await entriesOf(ADMIN_TOKEN, '');
    expect(all.length).toBeGreaterThan(0);
    const mine = (await t.http().get('/api/v1/audit').query({ limit: 200 }).set(auth(owner.token)).expect(200)).body.items as { action: string; organizationId: string }[];
    expect(new Set(mine.map((e) => e.action))).toEqual(new Set(['organizations.insert', 'api_keys.insert', 'api_keys.update', 'products.insert', 'sites.insert', 'batches.insert', 'batches.update', 'batch.on_hold', 'notifications.insert']));
    expect(mine.every((e) => e.organizationId === owner.id)).toBe(true);
  });

  it('is scoped: another organisation and an outside regulator see none of it, the local regulator does', async () => {
    const stranger = await createOrg(t, { regionCode: '511823' });
    expect(await entriesOf(stranger.token, `batches:${batch.id}`)).toEqual([]);
    const far = await createRegulator(t, '511800');
    expect(await entriesOf(far.token, `batches:${batch.id}`)).toEqual([]);
    const near = await createRegulator(t, '510100');
    expect((await entriesOf(near.token, `batches:${batch.id}`)).length).toBe(4);
    const operator = await t.http().post(`/api/v1/organizations/${owner.id}/api-keys`).set(auth(owner.token)).send({ role: 'operator' }).expect(201);
    await t.http().get('/api/v1/audit').set(auth(operator.body.token)).expect(403);
    await t.http().get('/api/v1/audit/verify').set(auth(owner.token)).expect(403);
  });

  it('pages with a cursor and filters by time; bad input is a 400 naming the field', async () => {
    const first = await t.http().get('/api/v1/audit').query({ limit: 2 }).set(auth(owner.token)).expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await t.http().get('/api/v1/audit').query({ limit: 2, cursor: first.body.nextCursor }).set(auth(owner.token)).expect(200);
    expect(second.body.items[0].seq).toBeLessThan(first.body.items[1].seq);
    const future = await t.http().get('/api/v1/audit').query({ from: '2099-01-01T00:00:00+08:00' }).set(auth(owner.token)).expect(200);
    expect(future.body).toEqual({ items: [], nextCursor: null });
    const bad = await t.http().get('/api/v1/audit').query({ from: 'yesterday' }).set(auth(owner.token)).expect(400);
    expect(bad.body.details.fields[0].field).toBe('from');
    const cursor = await t.http().get('/api/v1/audit').query({ cursor: 'nope' }).set(auth(owner.token)).expect(400);
    expect(cursor.body.code).toBe('INVALID_CURSOR');
  });

  it('an entry recorded in a rolled-back transaction is gone with it', async () => {
    const audit = t.app.get(AuditService);
    const subject = { type: 'test', id: `rollback-${process.pid}` };
    await expect(db.transaction(async (m) => {
      await audit.record(m, { action: 'test.rolled_back', subject });
      throw new Error('the change failed');
    })).rejects.toThrow('the change failed');
    expect(await db.query('SELECT 1 FROM audit_log WHERE subject_id = $1', [subject.id])).toEqual([]);
  });

  it('follows nested transactions: a rolled-back inner one leaves nothing, a committed one is kept', async () => {
    const audit = t.app.get(AuditService);
    const id = (name: string) => ({ type: 'test', id: `nested-${process.pid}-${name}` });
    await db.transaction(async (m) => {
      await audit.record(m, { action: 'test.outer', subject: id('outer') });
      await m.transaction((inner) => audit.record(inner, { action: 'test.inner', subject: id('kept') }));
      await m.transaction(async (inner) => {
        await audit.record(inner, { action: 'test.inner', subject: id('dropped') });
        throw new Error('inner failed');
      }).catch(() => undefined);
    });
    const rows = await db.query(`SELECT subject_id FROM audit_log WHERE subject_id LIKE $1 ORDER BY seq`, [`nested-${process.pid}-%`]) as { subject_id: string }[];
    expect(rows.map((r) => r.subject_id)).toEqual([id('outer').id, id('kept').id]);
  });

  it('an update or delete by criteria records each changed row by id, also outside a transaction', async () => {
    const [{ id }] = await db.query('SELECT id FROM products WHERE organization_id = $1 LIMIT 1', [owner.id]);
    await db.getRepository(Product).update({ id }, { spec: '5kg/箱' });
    const [row] = await db.query(`SELECT action, subject_id, before_digest, after_digest, details FROM audit_log WHERE action = 'products.update' ORDER BY seq DESC LIMIT 1`);
    expect(row).toMatchObject({ action: 'products.update', subject_id: id, details: null, before_digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(row.after_digest).not.toBe(row.before_digest);
    // Criteria other than the key: every row they select, and only those.
    const product = await db.getRepository(Product).findOneByOrFail({ id });
    await db.getRepository(Product).update({ organizationId: owner.id, spec: '5kg/箱' }, { spec: '10kg/箱' });
    const changed = await db.query(`SELECT subject_id FROM audit_log WHERE action = 'products.update' AND subject_id = $1 ORDER BY seq`, [product.id]);
    expect(changed).toHaveLength(2);
    await db.getRepository(Product).update({ organizationId: owner.id, spec: 'no such spec' }, { spec: '1kg' });
    const spare = await createProduct(t, owner.token, { name: '审计删除品' });
    await db.getRepository(Product).delete({ organizationId: owner.id, name: '审计删除品' });
    const [removed] = await db.query(`SELECT action, before_digest, after_digest FROM audit_log WHERE subject_id = $1 ORDER BY seq DESC LIMIT 1`, [spare.id]);
    expect(removed).toMatchObject({ action: 'products.remove', before_digest: expect.stringMatching(/^[0-9a-f]{64}$/), after_digest: null });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE subject_id = '*'`);
    expect(n).toBe(0);
  });

  it('concurrent writers keep one contiguous, valid chain', async () => {
    const audit = t.app.get(AuditService);
    const [{ max: before }] = await db.query('SELECT coalesce(max(seq), 0)::int AS max FROM audit_log') as { max: number }[];
    await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => db.transaction(async (m) => {
        await audit.record(m, { action: 'test.concurrent', subject: { type: 'test', id: `c-${process.pid}-${i}` } });
        await audit.record(m, { action: 'test.concurrent', subject: { type: 'test', id: `c-${process.pid}-${i}` }, details: { second: true } });
      })),
      ...Array.from({ length: 8 }, () => createBatch(t, owner.token)),
    ]);
    const rows = await db.query('SELECT seq::int AS seq FROM audit_log WHERE seq > $1 ORDER BY seq', [before]) as { seq: number }[];
    expect(rows.length).toBeGreaterThanOrEqual(60 + 8 * 4);
    rows.forEach((r, i) => expect(r.seq).toBe(before + i + 1));
    const verify = await t.http().get('/api/v1/audit/verify').set(auth(ADMIN_TOKEN)).expect(200);
    expect(verify.body).toMatchObject({ valid: true, firstBreak: null });
    expect(verify.body.checked).toBeGreaterThanOrEqual(before + 92);
  });

  describe('tampering in SQL is found', () => {
    let target: number;
    beforeAll(async () => {
      target = (await entriesOf(owner.token, `batches:${batch.id}`))[1].seq;
    });
    const verify = async () => (await t.http().get('/api/v1/audit/verify').set(auth(ADMIN_TOKEN)).expect(200)).body;

    it('an altered entry', async () => {
      const [original] = await db.query('SELECT details FROM audit_log WHERE seq = $1', [target]);
      await db.query(`UPDATE audit_log SET actor_kind = 'admin' WHERE seq = $1`, [target]);
      try {
        expect(await verify()).toMatchObject({ valid: false, firstBreak: { seq: target, kind: 'altered' } });
      } finally {
        await db.query(`UPDATE audit_log SET actor_kind = 'org_admin', details = $2 WHERE seq = $1`, [target, original.details]);
      }
      expect((await verify()).valid).toBe(true);
    });

    it('a removed entry', async () => {
      const [row] = await db.query('SELECT * FROM audit_log WHERE seq = $1', [target]);
      await db.query('DELETE FROM audit_log WHERE seq = $1', [target]);
      try {
        expect(await verify()).toMatchObject({ valid: false, firstBreak: { seq: target, kind: 'removed' } });
      } finally {
        const cols = Object.keys(row);
        await db.query(`INSERT INTO audit_log (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
          cols.map((c) => (c === 'details' && row[c] !== null ? JSON.stringify(row[c]) : row[c])));
      }
      expect((await verify()).valid).toBe(true);
    });

    it('reordered entries', async () => {
      const swap = async (a: number, b: number) => db.query(
        `UPDATE audit_log t SET (at, actor_kind, actor_id, actor_org_id, action, subject_type, subject_id, organization_id, region_code,
           before_digest, after_digest, details, prev_hash, hash) =
         (SELECT at, actor_kind, actor_id, actor_org_id, action, subject_type, subject_id, organization_id, region_code,
           before_digest, after_digest, details, prev_hash, hash FROM audit_log s WHERE s.seq = CASE WHEN t.seq = $1 THEN $2 ELSE $1 END)
         WHERE t.seq IN ($1, $2)`, [a, b]);
      await swap(target, target + 1);
      try {
        expect(await verify()).toMatchObject({ valid: false, firstBreak: { seq: target, kind: 'reordered' } });
      } finally {
        await swap(target, target + 1);
      }
      expect((await verify()).valid).toBe(true);
    });

    it('the CLI command reports the same', async () => {
      const run = promisify(execFile);
      const env = { PATH: process.env.PATH ?? '', DATABASE_URL: t.config.databaseUrl!, ADMIN_TOKEN, SECRET_KEY: t.config.secretKey, AUDIT_SIGNING_KEY, PUBLIC_BASE_URL: 'https://x.cn', LOG_LEVEL: 'silent' };
      const cli = join(ROOT, 'dist', 'src', 'cli.js');
      const ok = await run(process.execPath, [cli, 'audit:verify'], { env });
      expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true });
      await db.query(`UPDATE audit_log SET subject_id = 'forged' WHERE seq = $1`, [target]);
      try {
        const failed = await run(process.execPath, [cli, 'audit:verify'], { env }).then(() => null, (e: { code: number; stdout: string }) => e);
        expect(failed?.code).toBe(1);
        expect(JSON.parse(failed!.stdout)).toMatchObject({ valid: false, firstBreak: { seq: target, kind: 'altered' } });
      } finally {
        await db.query('UPDATE audit_log SET subject_id = $2 WHERE seq = $1', [target, batch.id]);
      }
    });
  });
});
