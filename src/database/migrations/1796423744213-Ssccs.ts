import { MigrationInterface, QueryRunner } from 'typeorm';

export class Ssccs1796423744213 implements MigrationInterface {
  name = 'Ssccs1796423744213';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "ssccs" ("sscc" character(18) NOT NULL, "organization_id" uuid NOT NULL, "allocated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a7ce52792c998be2b92ca59f34a" PRIMARY KEY ("sscc"))`);
    await queryRunner.query(`CREATE INDEX "ix_ssccs_org_allocated" ON "ssccs"  ("organization_id", "allocated_at") `);
    await queryRunner.query(`CREATE TABLE "sscc_counters" ("organization_id" uuid NOT NULL, "company_prefix" character varying(12) NOT NULL, "extension_digit" smallint NOT NULL, "next_serial" bigint NOT NULL, CONSTRAINT "PK_6614139b9ce7928249c0ec7003b" PRIMARY KEY ("organization_id", "company_prefix", "extension_digit"))`);
    await queryRunner.query(`ALTER TABLE "organizations" ADD "gs1_company_prefix" character varying(12)`);
    await queryRunner.query(`ALTER TABLE "ssccs" ADD CONSTRAINT "FK_c6bc5471c9fcb84f004cfd2269f" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sscc_counters" ADD CONSTRAINT "FK_daf33cc8bc0483c18d3a56b8ebc" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sscc_counters" DROP CONSTRAINT "FK_daf33cc8bc0483c18d3a56b8ebc"`);
    await queryRunner.query(`ALTER TABLE "ssccs" DROP CONSTRAINT "FK_c6bc5471c9fcb84f004cfd2269f"`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "gs1_company_prefix"`);
    await queryRunner.query(`DROP TABLE "sscc_counters"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ssccs_org_allocated"`);
    await queryRunner.query(`DROP TABLE "ssccs"`);
  }
}
