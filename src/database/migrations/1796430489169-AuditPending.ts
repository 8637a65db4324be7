import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Issue 21: audit entries are written with their change into audit_pending (no lock) and chained
 * right after the commit by audit_seal(), many transactions' entries per call (see audit-log.ts).
 * audit_seal runs entirely in the server, so the chain's lock is held only while it runs (never
 * across a round trip to the application): it numbers the pending entries after the tail and
 * hashes each as sha256(prev_hash || canonical content) — entryHash in domain/audit-chain.ts —
 * from the canonical JSON the application stored. Each statement of a VOLATILE PL/pgSQL function
 * takes a new snapshot, so the tail it reads after the lock is the committed one. 7286431000001 is
 * CHAIN_LOCK. The seal commits with synchronous_commit off: a crash loses a seal only as a whole
 * (its pending rows come back with it), and WAL order makes any later durable commit carry it.
 */
const AUDIT_SEAL = `
CREATE FUNCTION audit_seal(batch_size integer) RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  ids bigint[];
  contents text[];
  tail_seq bigint;
  prev text;
  seqs bigint[] := '{}';
  prevs text[] := '{}';
  hashes text[] := '{}';
  h text;
BEGIN
  -- Nothing pending in sight: every committed entry is chained (a sealer's DELETE and its INSERT
  -- commit together, and while it has not committed its pending rows are still seen here).
  IF NOT EXISTS (SELECT 1 FROM audit_pending) THEN
    RETURN 0;
  END IF;
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM pg_advisory_xact_lock(7286431000001);
  SELECT array_agg(p.id ORDER BY p.id), array_agg(p.content ORDER BY p.id) INTO ids, contents
    FROM (SELECT id, content FROM audit_pending ORDER BY id LIMIT batch_size) p;
  IF ids IS NULL THEN
    RETURN 0;
  END IF;
  DELETE FROM audit_pending WHERE id = ANY(ids);
  SELECT seq, hash INTO tail_seq, prev FROM audit_log ORDER BY seq DESC LIMIT 1;
  IF NOT FOUND THEN
    tail_seq := 0;
    prev := repeat('0', 64);
  END IF;
  FOR i IN 1 .. array_length(ids, 1) LOOP
    h := encode(sha256(convert_to(prev || contents[i], 'UTF8')), 'hex');
    seqs := seqs || (tail_seq + i);
    prevs := prevs || prev;
    hashes := hashes || h;
    prev := h;
  END LOOP;
  INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_org_id, action, subject_type, subject_id, organization_id,
    region_code, before_digest, after_digest, details, prev_hash, hash)
  SELECT e.seq, (c->>'at')::timestamptz, c->>'actorKind', c->>'actorId', (c->>'actorOrgId')::uuid, c->>'action', c->>'subjectType',
    c->>'subjectId', (c->>'organizationId')::uuid, c->>'regionCode', c->>'beforeDigest', c->>'afterDigest',
    NULLIF(c->'details', 'null'::jsonb), e.prev, e.hash
  FROM unnest(seqs, contents, prevs, hashes) AS e(seq, content, prev, hash), LATERAL (SELECT e.content::jsonb AS c) j;
  RETURN array_length(ids, 1);
END
$$`;

export class AuditPending1796430489169 implements MigrationInterface {
  name = 'AuditPending1796430489169';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_pending" ("id" BIGSERIAL NOT NULL, "content" text NOT NULL, CONSTRAINT "PK_75e10a15f610386e81e7f88cc29" PRIMARY KEY ("id"))`);
    await queryRunner.query(AUDIT_SEAL);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION audit_seal(integer)');
    await queryRunner.query(`DROP TABLE "audit_pending"`);
  }
}
