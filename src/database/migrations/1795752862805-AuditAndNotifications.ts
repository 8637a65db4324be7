import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditAndNotifications1795752862805 implements MigrationInterface {
  name = 'AuditAndNotifications1795752862805';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_log" ("seq" bigint NOT NULL, "at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "actor_kind" character varying(20) NOT NULL, "actor_id" character varying(60), "actor_org_id" uuid, "action" character varying(60) NOT NULL, "subject_type" character varying(60) NOT NULL, "subject_id" character varying(100) NOT NULL, "organization_id" uuid, "region_code" character(6), "before_digest" character(64), "after_digest" character(64), "details" jsonb, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e" PRIMARY KEY ("seq"))`);
    await queryRunner.query(`CREATE INDEX "IDX_ba27cef5b8b2b1a756e06ebcc5" ON "audit_log"  ("at") `);
    await queryRunner.query(`CREATE INDEX "IDX_daca2506dffb08b319ae97f561" ON "audit_log"  ("region_code", "seq") `);
    await queryRunner.query(`CREATE INDEX "IDX_daaa7e49ccecba84176d6674e9" ON "audit_log"  ("organization_id", "seq") `);
    await queryRunner.query(`CREATE INDEX "IDX_08e9b4cd10971ba146b6c5bf4d" ON "audit_log"  ("subject_type", "subject_id") `);
    await queryRunner.query(`CREATE TABLE "notifications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "kind" character varying(60) NOT NULL, "subject_type" character varying(60) NOT NULL, "subject_id" character varying(100) NOT NULL, "region_code" character(6), "payload" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_f5cacff71c093b12d786d5a586" ON "notifications"  ("organization_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "notification_id" uuid NOT NULL, "subscription_id" uuid NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "attempt_log" jsonb NOT NULL DEFAULT '[]', "delivered_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_23eb2b6ae801c52cfb79a556b8" ON "webhook_deliveries"  ("subscription_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_webhook_deliveries_pair" ON "webhook_deliveries"  ("notification_id", "subscription_id") `);
    await queryRunner.query(`CREATE TABLE "webhook_subscriptions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "url" character varying(500) NOT NULL, "kinds" jsonb, "secret_encrypted" character varying(300) NOT NULL, "secret_prefix" character varying(12) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_bf631ae77d39849d599817fb6f4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_6a865663a3ed98561b4f6d4e3f" ON "webhook_subscriptions"  ("organization_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "notifications" ADD CONSTRAINT "FK_cb7b1fb018b296f2107e998b2ff" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_b595a77db5d4504c875d2905222" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_23eb2b6ae801c52cfb79a556b8a" FOREIGN KEY ("subscription_id") REFERENCES "webhook_subscriptions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "FK_9428849927949b5f0d697cac657" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_subscriptions" DROP CONSTRAINT "FK_9428849927949b5f0d697cac657"`);
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_23eb2b6ae801c52cfb79a556b8a"`);
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_b595a77db5d4504c875d2905222"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "FK_cb7b1fb018b296f2107e998b2ff"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6a865663a3ed98561b4f6d4e3f"`);
    await queryRunner.query(`DROP TABLE "webhook_subscriptions"`);
    await queryRunner.query(`DROP INDEX "public"."uq_webhook_deliveries_pair"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_23eb2b6ae801c52cfb79a556b8"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f5cacff71c093b12d786d5a586"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_08e9b4cd10971ba146b6c5bf4d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_daaa7e49ccecba84176d6674e9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_daca2506dffb08b319ae97f561"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ba27cef5b8b2b1a756e06ebcc5"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
