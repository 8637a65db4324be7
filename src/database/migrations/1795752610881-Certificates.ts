import { MigrationInterface, QueryRunner } from 'typeorm';

export class Certificates1795752610881 implements MigrationInterface {
  name = 'Certificates1795752610881';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "certificate_collections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "certificate_id" uuid, "presented" character varying(300), "product_id" uuid NOT NULL, "quantity_value" numeric(15,3), "quantity_unit" character varying(4), "supplier_name" character varying(200), "outcome" character varying(12) NOT NULL, "reason" character varying(500), "other_proof" jsonb, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a09a07f77273a57ae5a502cafbb" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_15b79b6c0add8064b8c57efe09" ON "certificate_collections"  ("certificate_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_f88625778c2d1e336e0ffbca4d" ON "certificate_collections"  ("region_code", "outcome") `);
    await queryRunner.query(`CREATE INDEX "IDX_3c8ed3fa0e41729f7077be8635" ON "certificate_collections"  ("organization_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "certificates" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" character varying(32) NOT NULL, "token" character varying(22) NOT NULL, "template_version" character varying(20) NOT NULL, "style" character varying(10) NOT NULL, "organization_id" uuid NOT NULL, "batch_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "product_name" character varying(200) NOT NULL, "product_category" character varying(300) NOT NULL, "quantity_value" numeric(15,3) NOT NULL, "quantity_unit" character varying(4) NOT NULL, "base_milli" numeric(30,0) NOT NULL, "origin" character varying(400) NOT NULL, "issuer_name" character varying(200) NOT NULL, "issuer_contact" character varying(100), "signed_by" character varying(50), "issued_on" date NOT NULL, "commitment" text NOT NULL, "basis" text array NOT NULL, "evidence" jsonb NOT NULL, "replaces_id" uuid, "status" character varying(8) NOT NULL DEFAULT 'valid', "voided_at" TIMESTAMP(3) WITH TIME ZONE, "void_reason" character varying(500), "voided_by" character varying(40), "retain_until" date NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e4c7e31e2144300bea7d89eb165" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_8b379f595aea96c9406c5a4490" ON "certificates"  ("number") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_ede4c649aa5c2f01b182dcc2da" ON "certificates"  ("token") `);
    await queryRunner.query(`CREATE INDEX "IDX_543e0026e548f784590d0bac27" ON "certificates"  ("region_code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_certificates_replaces" ON "certificates"  ("replaces_id") WHERE replaces_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_58d3fc2533ac56fafe408ff82e" ON "certificates"  ("organization_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_ae5c8765b0d2493d13fc71607a" ON "certificates"  ("batch_id", "status") `);
    await queryRunner.query(`CREATE TABLE "certificate_sequences" ("scope" character varying(15) NOT NULL, "last_value" integer NOT NULL, CONSTRAINT "PK_42e95a61e177040e43323177fa2" PRIMARY KEY ("scope"))`);
    await queryRunner.query(`CREATE TABLE "test_records" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "batch_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "stream" character varying(24) NOT NULL, "tester_kind" character varying(4) NOT NULL, "tester_name" character varying(200), "lab_organization_id" uuid, "report_no" character varying(64), "method" character varying(200), "tested_on" date NOT NULL, "results" jsonb NOT NULL, "analytes" text array NOT NULL, "verdict" character varying(4) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1157538452de5ef84bb10443eba" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_db19d706b180087463a779af8e" ON "test_records"  ("region_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_e62baa4156f5cb25380261832c" ON "test_records"  ("batch_id", "tested_on") `);
    await queryRunner.query(`ALTER TABLE "certificate_collections" ADD CONSTRAINT "FK_be3009034e85119bbc98c86b998" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" ADD CONSTRAINT "FK_15b79b6c0add8064b8c57efe09c" FOREIGN KEY ("certificate_id") REFERENCES "certificates"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" ADD CONSTRAINT "FK_4b677ef522a94fac77f41de7c1c" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "certificates" ADD CONSTRAINT "FK_bdfe3bffc137ae7204afe8ace86" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "certificates" ADD CONSTRAINT "FK_e22bbd3f0c47b543ce91e16ddde" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "certificates" ADD CONSTRAINT "FK_1855b64447c137ba85c24280638" FOREIGN KEY ("replaces_id") REFERENCES "certificates"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "test_records" ADD CONSTRAINT "FK_a3ceac3bb263081ef0cc62dd6f5" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "test_records" ADD CONSTRAINT "FK_c4f175a29d855842edcbabbd950" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "test_records" ADD CONSTRAINT "FK_d4ea51c3f23a3bac6b680c8bc80" FOREIGN KEY ("lab_organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "test_records" DROP CONSTRAINT "FK_d4ea51c3f23a3bac6b680c8bc80"`);
    await queryRunner.query(`ALTER TABLE "test_records" DROP CONSTRAINT "FK_c4f175a29d855842edcbabbd950"`);
    await queryRunner.query(`ALTER TABLE "test_records" DROP CONSTRAINT "FK_a3ceac3bb263081ef0cc62dd6f5"`);
    await queryRunner.query(`ALTER TABLE "certificates" DROP CONSTRAINT "FK_1855b64447c137ba85c24280638"`);
    await queryRunner.query(`ALTER TABLE "certificates" DROP CONSTRAINT "FK_e22bbd3f0c47b543ce91e16ddde"`);
    await queryRunner.query(`ALTER TABLE "certificates" DROP CONSTRAINT "FK_bdfe3bffc137ae7204afe8ace86"`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" DROP CONSTRAINT "FK_4b677ef522a94fac77f41de7c1c"`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" DROP CONSTRAINT "FK_15b79b6c0add8064b8c57efe09c"`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" DROP CONSTRAINT "FK_be3009034e85119bbc98c86b998"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e62baa4156f5cb25380261832c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_db19d706b180087463a779af8e"`);
    await queryRunner.query(`DROP TABLE "test_records"`);
    await queryRunner.query(`DROP TABLE "certificate_sequences"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ae5c8765b0d2493d13fc71607a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_58d3fc2533ac56fafe408ff82e"`);
    await queryRunner.query(`DROP INDEX "public"."uq_certificates_replaces"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_543e0026e548f784590d0bac27"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ede4c649aa5c2f01b182dcc2da"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8b379f595aea96c9406c5a4490"`);
    await queryRunner.query(`DROP TABLE "certificates"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3c8ed3fa0e41729f7077be8635"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f88625778c2d1e336e0ffbca4d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_15b79b6c0add8064b8c57efe09"`);
    await queryRunner.query(`DROP TABLE "certificate_collections"`);
  }
}
