import { execFile } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from '../src/database/data-source';
import { migrateAndSeed } from '../src/database/prepare';
import { AuditCheckpointProcessor } from '../src/modules/audit/audit-checkpoint.processor';
import { AuditCheckpointsService } from '../src/modules/audit/audit-checkpoints.service';
import { AUDIT_ROW_COLUMNS, AuditRawRow, CHAIN_LOCK, toChained, verifyAuditLog } from '../src/modules/audit/audit-log';
import { entryHash } from '../src/modules/audit/domain/audit-chain';
import type { AuditCheckpoint } from '../src/modules/audit/domain/audit-checkpoint';
import { auth, createOrg, createRegulator, OrgWithKey } from './support/factories';
import { withPgClient } from './support/pg-client';
import { ROOT } from './support/processes';
import { ADMIN_TOKEN, AUDIT_SIGNING_KEY, createTestApp, TestApp } from './support/test-app';

/**
 * Signed checkpoints of the audit chain's head, over HTTP, the service and the CLI. This suite
 * tampers with the audit log, so it runs on a database of its own (created from the run's admin
 * URL, migrated, dropped at the end): other suites verify the shared log at any moment.
 */
describe('signed audit checkpoints', () => {
  const name = `tianfu_ckpt_${process.pid}_${Date.now()}_test`;
  const adminUrl = process.env.TEST_PG_ADMIN_URL!;
  const databaseUrl = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  let t: TestApp;
  let db: DataSource;
  let service: AuditCheckpointsService;
  let org: OrgWithKey;

  const admin = <T>(use: (client: Client) => Promise<T>) => withPgClient(adminUrl, use);


  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    const migrating = await (await createDataSource({ databaseUrl, dataDir: '/tmp' })).initialize();
    await migrateAndSeed(migrating);
    await migrating.destroy();
    t = await createTestApp({ DATABASE_URL: databaseUrl });
    db = t.app.get(DataSource);
    service = t.app.get(AuditCheckpointsService);
    org = await createOrg(t);
  });
  afterAll(async () => {
    await t?.close();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    for (const file of ['checkpoint.json', 'other-key.pem']) rmSync(join('/tmp', `${name}-${file}`), { force: true });
  });

  const head = async () => {
    const [row] = await db.query('SELECT seq::int AS seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1') as { seq: number; hash: string }[];
    return row;
  };
  const sign = async (token = ADMIN_TOKEN, status = 201) =>
    (await t.http().post('/api/v1/audit/checkpoints').set(auth(token)).expect(status)).body as AuditCheckpoint;
  /** Another audited change, so the head moves. */
  const write = () => t.http().post(`/api/v1/organizations/${org.id}/api-keys`).set(auth(ADMIN_TOKEN)).send({ role: 'operator' }).expect(201);

  it('signs the chain head; the signature verifies offline with the published public key', async () => {
    await write();
    const checkpoint = await sign();
    expect(Object.keys(checkpoint).sort()).toEqual(['at', 'hash', 'keyId', 'seq', 'signature']);
    expect({ seq: checkpoint.seq, hash: checkpoint.hash }).toEqual(await head());

    const operator = await createOrg(t, {}, 'operator');
    const page = (await t.http().get('/api/v1/audit/checkpoints').set(auth(operator.token)).expect(200)).body;
    expect(page.items[0]).toEqual(checkpoint);
    expect(page.publicKey).toMatchObject({ algorithm: 'Ed25519', keyId: checkpoint.keyId });

    // What a regulator does with only the checkpoint and the public key (no project code).
    const message = Buffer.from(JSON.stringify({
      at: checkpoint.at, hash: checkpoint.hash, keyId: checkpoint.keyId, seq: checkpoint.seq, type: 'tianfu-trace/audit-checkpoint/v1',
    }));
    const signature = Buffer.from(checkpoint.signature, 'base64');
    const fromPem = createPublicKey(page.publicKey.pem);
    const fromRaw = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(page.publicKey.raw, 'base64').toString('base64url') }, format: 'jwk' });
    expect(verify(null, message, fromPem, signature)).toBe(true);
    expect(verify(null, message, fromRaw, signature)).toBe(true);
    expect(createHash('sha256').update(Buffer.from(page.publicKey.raw, 'base64')).digest('hex').slice(0, 16)).toBe(checkpoint.keyId);
    const forged = Buffer.from(message.toString().replace(`"seq":${checkpoint.seq}`, `"seq":${checkpoint.seq + 1}`));
    expect(verify(null, forged, fromPem, signature)).toBe(false);
  });

  it('does not sign again while the head has not moved; after a change it signs the new head', async () => {
    const first = await sign();
    expect(await sign(ADMIN_TOKEN, 200)).toEqual(first);
    expect(await db.query('SELECT count(*)::int AS n FROM audit_checkpoints WHERE seq = $1', [first.seq])).toEqual([{ n: 1 }]);
    await write();
    const regulator = await createRegulator(t, '510100');
    const next = await sign(regulator.token);
    expect(next.seq).toBeGreaterThan(first.seq);
    expect({ seq: next.seq, hash: next.hash }).toEqual(await head());
  });

  it('the hourly job signs through the same path, once per head', async () => {
    await write();
    const job = t.app.get(AuditCheckpointProcessor);
    await job.process({});
    await job.process({});
    const { seq } = await head();
    expect(await db.query('SELECT seq::int AS seq FROM audit_checkpoints WHERE seq >= $1', [seq])).toEqual([{ seq }]);
  });

  it('any authenticated role reads; only admin and regulator sign; bad paging input is a 400 naming the field', async () => {
    await t.http().get('/api/v1/audit/checkpoints').expect(401);
    const lab = await createOrg(t, { kind: 'lab' }, 'lab');
    await t.http().get('/api/v1/audit/checkpoints').set(auth(lab.token)).expect(200);
    const denied = await t.http().post('/api/v1/audit/checkpoints').set(auth(org.token)).expect(403);
    expect(denied.body.code).toBe('FORBIDDEN');

    const first = (await t.http().get('/api/v1/audit/checkpoints').query({ limit: 1 }).set(auth(org.token)).expect(200)).body;
    expect(first.items).toHaveLength(1);
    const second = (await t.http().get('/api/v1/audit/checkpoints').query({ limit: 1, cursor: first.nextCursor }).set(auth(org.token)).expect(200)).body;
    expect(second.items[0].seq).toBeLessThan(first.items[0].seq);
    const badCursor = await t.http().get('/api/v1/audit/checkpoints').query({ cursor: 'nope' }).set(auth(org.token)).expect(400);
    expect(badCursor.body).toMatchObject({ code: 'INVALID_CURSOR', details: { field: 'cursor' } });
    const badLimit = await t.http().get('/api/v1/audit/checkpoints').query({ limit: 0 }).set(auth(org.token)).expect(400);
    expect(badLimit.body.details.fields[0].field).toBe('limit');
  });

  it('lists the routes\' error codes in the OpenAPI document', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const route = doc.paths['/api/v1/audit/checkpoints'];
    const codes = (method: string, status: string) => route[method].responses[status].content['application/json'].schema.properties.code.enum;
    expect(codes('post', '409').sort()).toEqual(['AUDIT_CHAIN_BROKEN', 'AUDIT_LOG_EMPTY']);
    expect(codes('post', '403')).toEqual(['FORBIDDEN']);
    expect(codes('get', '400').sort()).toEqual(['INVALID_CURSOR', 'VALIDATION_FAILED']);
    expect(Object.keys(route.post.responses).sort()).toEqual(['200', '201', '401', '403', '409', '500']);
  });

  describe('against a tampered log', () => {
    let checkpoint: AuditCheckpoint;
    let target: number;

    /** Changes audit rows in SQL while holding the chain's lock (no append can interleave). */
    const underChainLock = (work: (m: EntityManager) => Promise<unknown>) => db.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
      await work(m);
    });
    const forge = async (seq: number) => {
      const [{ subject_id: original }] = await db.query('SELECT subject_id FROM audit_log WHERE seq = $1', [seq]);
      await db.query(`UPDATE audit_log SET subject_id = 'forged' WHERE seq = $1`, [seq]);
      return () => db.query('UPDATE audit_log SET subject_id = $2 WHERE seq = $1', [seq, original]);
    };

    beforeAll(async () => {
      await write();
      checkpoint = await sign();
      target = checkpoint.seq - 2;
    });

    it('the service proves the intact log up to the checkpoint', async () => {
      await write(); // entries after the checkpoint are not its business
      expect(await service.verify(checkpoint)).toMatchObject({ valid: true, signature: 'valid', checked: checkpoint.seq, firstBreak: null });
    });

    it('an altered row fails, with its seq named', async () => {
      const restore = await forge(target);
      try {
        const result = await service.verify(checkpoint);
        expect(result).toMatchObject({ valid: false, signature: 'valid', firstBreak: { seq: target, kind: 'altered' } });
        expect(result.message).toContain(`entry ${target}`);
      } finally {
        await restore();
      }
      expect((await service.verify(checkpoint)).valid).toBe(true);
    });

    it('a rewrite that recomputes every hash fools the plain chain check, not the checkpoint', async () => {
      const rows = (await db.query(`SELECT ${AUDIT_ROW_COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq`, [target]) as AuditRawRow[]).map(toChained);
      const rewrite = (subjectId: string) => underChainLock(async (m) => {
        let prev = rows[0].prevHash;
        for (const [i, row] of rows.entries()) {
          const entry = i === 0 ? { ...row, subjectId } : row;
          const hash = entryHash(prev, entry);
          await m.query('UPDATE audit_log SET subject_id = $2, prev_hash = $3, hash = $4 WHERE seq = $1', [row.seq, entry.subjectId, prev, hash]);
          prev = hash;
        }
      });
      await rewrite('forged');
      try {
        expect((await verifyAuditLog(db.manager)).valid).toBe(true);
        expect(await service.verify(checkpoint)).toMatchObject({ valid: false, firstBreak: { seq: checkpoint.seq, kind: 'rewritten' } });
      } finally {
        await rewrite(rows[0].subjectId);
      }
      expect((await service.verify(checkpoint)).valid).toBe(true);
    });

    it('a checkpoint with a changed field, or checked with another key, fails on its signature', async () => {
      expect(await service.verify({ ...checkpoint, seq: checkpoint.seq - 1 })).toMatchObject({ valid: false, signature: 'invalid', checked: 0 });
      const other = generateKeyPairSync('ed25519').publicKey;
      const result = await service.verify(checkpoint, other);
      expect(result).toMatchObject({ valid: false, signature: 'other_key' });
      expect(result.message).toContain(checkpoint.keyId);
    });

    it('refuses to sign a head over a broken chain (409 naming the seq), and signs again once repaired', async () => {
      await write();
      const { seq } = await head();
      const restore = await forge(seq);
      try {
        const refused = await t.http().post('/api/v1/audit/checkpoints').set(auth(ADMIN_TOKEN)).expect(409);
        expect(refused.body).toMatchObject({ code: 'AUDIT_CHAIN_BROKEN', details: { seq, kind: 'altered' } });
        expect(refused.body.message).toContain(`entry ${seq}`);
      } finally {
        await restore();
      }
      expect((await sign()).seq).toBe(seq);
    });

    describe('cli audit:verify --checkpoint', () => {
      const run = (args: string[]) => promisify(execFile)(process.execPath, [join(ROOT, 'dist', 'src', 'cli.js'), 'audit:verify', ...args], {
        env: {
          PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, ADMIN_TOKEN, SECRET_KEY: t.config.secretKey, AUDIT_SIGNING_KEY,
          PUBLIC_BASE_URL: 'https://x.cn', LOG_LEVEL: 'silent',
        },
      }).then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (e: { code: number; stdout: string; stderr: string }) => e);

      it('exits 0 when the log matches (checkpoint inline or in a file)', async () => {
        const inline = await run(['--checkpoint', JSON.stringify(checkpoint)]);
        expect(inline.code).toBe(0);
        expect(JSON.parse(inline.stdout)).toMatchObject({ valid: true, checked: checkpoint.seq });
        const file = join('/tmp', `${name}-checkpoint.json`);
        writeFileSync(file, JSON.stringify(checkpoint));
        expect((await run(['--checkpoint', file])).code).toBe(0);
      });

      it('exits 1 naming the seq after a row was altered', async () => {
        const restore = await forge(target);
        try {
          const failed = await run(['--checkpoint', JSON.stringify(checkpoint)]);
          expect(failed.code).toBe(1);
          expect(JSON.parse(failed.stdout)).toMatchObject({ valid: false, firstBreak: { seq: target, kind: 'altered' } });
          expect(failed.stderr).toContain(`entry ${target}`);
        } finally {
          await restore();
        }
      });

      it('exits 1 for another key, a forged checkpoint, or malformed input, saying why', async () => {
        const otherKey = join('/tmp', `${name}-other-key.pem`);
        writeFileSync(otherKey, generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }));
        const other = await run(['--checkpoint', JSON.stringify(checkpoint), '--public-key', otherKey]);
        expect(other).toMatchObject({ code: 1 });
        expect(other.stderr).toContain(`signed with key ${checkpoint.keyId}`);
        const forged = await run(['--checkpoint', JSON.stringify({ ...checkpoint, hash: 'f'.repeat(64) })]);
        expect(forged).toMatchObject({ code: 1 });
        expect(forged.stderr).toContain('signature does not verify');
        const malformed = await run(['--checkpoint', '{"seq":0}']);
        expect(malformed).toMatchObject({ code: 1 });
        expect(malformed.stderr).toContain('--checkpoint: checkpoint.seq must be a whole number');
      });
    });
  });
});
