import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * A scanned trace code stands for its batch's newest valid certificate (market gate, listings): with
 * (batch_id, status) alone PostgreSQL sorted every certificate of the batch (a parallel seq scan of
 * 547 ms with 1,000,000 on one batch in bench/market-gate.ts); with created_at in the index it reads
 * one entry. The wider index serves every (batch_id) and (batch_id, status) lookup the old one did.
 */

export class CertificateNewestValidIndex1796431626046 implements MigrationInterface {
  name = 'CertificateNewestValidIndex1796431626046';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_ae5c8765b0d2493d13fc71607a"`);
    await queryRunner.query(`CREATE INDEX "IDX_7c087cd023402f5bce27ca7ed1" ON "certificates"  ("batch_id", "status", "created_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_7c087cd023402f5bce27ca7ed1"`);
    await queryRunner.query(`CREATE INDEX "IDX_ae5c8765b0d2493d13fc71607a" ON "certificates" USING btree ("batch_id", "status") `);
  }
}
