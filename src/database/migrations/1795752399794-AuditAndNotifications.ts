import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditAndNotifications1795752399794 implements MigrationInterface {
  name = 'AuditAndNotifications1795752399794';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_log" ("seq" bigint NOT NULL, "at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "actor_kind" character varying(20) NOT NULL, "actor_id" character varying(60), "actor_org_id" uuid, "action" character varying(60) NOT NULL, "subject_type" character varying(60) NOT NULL, "subject_id" character varying(100) NOT NULL, "organization_id" uuid, "region_code" character(6), "before_digest" character(64), "after_digest" character(64), "details" jsonb, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e" PRIMARY KEY ("seq"))`);
    await queryRunner.query(`CREATE INDEX "IDX_ba27cef5b8b2b1a756e06ebcc5" ON "audit_log"  ("at") `);
    await queryRunner.query(`CREATE INDEX "IDX_daca2506dffb08b319ae97f561" ON "audit_log"  ("region_code", "seq") `);
    await queryRunner.query(`CREATE INDEX "IDX_daaa7e49ccecba84176d6674e9" ON "audit_log"  ("organization_id", "seq") `);
    await queryRunner.query(`CREATE INDEX "IDX_08e9b4cd10971ba146b6c5bf4d" ON "audit_log"  ("subject_type", "subject_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_08e9b4cd10971ba146b6c5bf4d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_daaa7e49ccecba84176d6674e9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_daca2506dffb08b319ae97f561"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ba27cef5b8b2b1a756e06ebcc5"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
