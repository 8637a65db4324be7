import { MigrationInterface, QueryRunner } from 'typeorm';

export class GeographicalIndications1795752561635 implements MigrationInterface {
  name = 'GeographicalIndications1795752561635';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "gi_authorisations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "gi_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "valid_from" date NOT NULL, "valid_to" date, "quota_value" numeric(15,3), "quota_unit" character varying(4), "status" character varying(10) NOT NULL DEFAULT 'active', "revoked_on" date, "revoked_reason" character varying(500), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_21b9f145f09c7af2a52718bb43f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_718830752d1d50a5b9095ff8ba" ON "gi_authorisations"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_gi_authorisations_period" ON "gi_authorisations"  ("gi_id", "organization_id", "valid_from") `);
    await queryRunner.query(`CREATE TABLE "gi_claim_refusals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "gi_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "produced_on" date NOT NULL, "reason" character varying(40) NOT NULL, "quantity_value" numeric(15,3) NOT NULL, "quantity_unit" character varying(4) NOT NULL, "details" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0554d05adb0ffbaab521940c075" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_add60eb511d6e94bbf880262b7" ON "gi_claim_refusals"  ("gi_id", "produced_on") `);
    await queryRunner.query(`CREATE TABLE "gi_claims" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "batch_id" uuid NOT NULL, "gi_id" uuid NOT NULL, "authorisation_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "produced_on" date NOT NULL, "year" smallint NOT NULL, "quantity_value" numeric(15,3) NOT NULL, "quantity_unit" character varying(4) NOT NULL, "base_amount" numeric(24,6) NOT NULL, "base_unit" character varying(4) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9f82b1b6505e8a63d8e789314e0" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_ebf0e80cf9c57cf75f5535807b" ON "gi_claims"  ("batch_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_593645a03bd89e13f6da488f8d" ON "gi_claims"  ("authorisation_id", "year") `);
    await queryRunner.query(`CREATE INDEX "IDX_10b221adfa81f19a0900f19bb8" ON "gi_claims"  ("gi_id", "produced_on") `);
    await queryRunner.query(`CREATE TABLE "gi_records" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "regime" character varying(12) NOT NULL, "product_name" character varying(100) NOT NULL, "registration_number" character varying(60) NOT NULL, "holder_uscc" character varying(18) NOT NULL, "holder_name" character varying(200), "area_codes" jsonb NOT NULL, "area_text" character varying(2000), "bounding_box" jsonb, "spec_reference" character varying(100), "announcement_number" character varying(100), "announced_on" date, "china_eu" boolean NOT NULL DEFAULT false, "status" character varying(10) NOT NULL DEFAULT 'active', "revoked_on" date, "revoked_reason" character varying(500), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0e09feb62cc9e8f140eea56e5c2" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_0718f64e5450ed65eba56bf76a" ON "gi_records"  ("holder_uscc") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_gi_records_regime_number" ON "gi_records"  ("regime", "registration_number") `);
    await queryRunner.query(`ALTER TABLE "gi_authorisations" ADD CONSTRAINT "FK_ff3c6d47fcf0acd73c7b02cedcd" FOREIGN KEY ("gi_id") REFERENCES "gi_records"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gi_authorisations" ADD CONSTRAINT "FK_718830752d1d50a5b9095ff8ba9" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gi_claim_refusals" ADD CONSTRAINT "FK_81a56c6f9a676ec948afaea644d" FOREIGN KEY ("gi_id") REFERENCES "gi_records"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gi_claim_refusals" ADD CONSTRAINT "FK_10258d738a5e67e9e7fa246e042" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gi_claims" ADD CONSTRAINT "FK_ebf0e80cf9c57cf75f5535807be" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gi_claims" ADD CONSTRAINT "FK_ff96ff5821b3c1dcaada163b2c4" FOREIGN KEY ("gi_id") REFERENCES "gi_records"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gi_claims" ADD CONSTRAINT "FK_9cf2fd5d914fa4d4faebb8c9754" FOREIGN KEY ("authorisation_id") REFERENCES "gi_authorisations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gi_claims" ADD CONSTRAINT "FK_6cf9717785f2a255effe9b0731d" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "gi_claims" DROP CONSTRAINT "FK_6cf9717785f2a255effe9b0731d"`);
    await queryRunner.query(`ALTER TABLE "gi_claims" DROP CONSTRAINT "FK_9cf2fd5d914fa4d4faebb8c9754"`);
    await queryRunner.query(`ALTER TABLE "gi_claims" DROP CONSTRAINT "FK_ff96ff5821b3c1dcaada163b2c4"`);
    await queryRunner.query(`ALTER TABLE "gi_claims" DROP CONSTRAINT "FK_ebf0e80cf9c57cf75f5535807be"`);
    await queryRunner.query(`ALTER TABLE "gi_claim_refusals" DROP CONSTRAINT "FK_10258d738a5e67e9e7fa246e042"`);
    await queryRunner.query(`ALTER TABLE "gi_claim_refusals" DROP CONSTRAINT "FK_81a56c6f9a676ec948afaea644d"`);
    await queryRunner.query(`ALTER TABLE "gi_authorisations" DROP CONSTRAINT "FK_718830752d1d50a5b9095ff8ba9"`);
    await queryRunner.query(`ALTER TABLE "gi_authorisations" DROP CONSTRAINT "FK_ff3c6d47fcf0acd73c7b02cedcd"`);
    await queryRunner.query(`DROP INDEX "public"."uq_gi_records_regime_number"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0718f64e5450ed65eba56bf76a"`);
    await queryRunner.query(`DROP TABLE "gi_records"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_10b221adfa81f19a0900f19bb8"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_593645a03bd89e13f6da488f8d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ebf0e80cf9c57cf75f5535807b"`);
    await queryRunner.query(`DROP TABLE "gi_claims"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_add60eb511d6e94bbf880262b7"`);
    await queryRunner.query(`DROP TABLE "gi_claim_refusals"`);
    await queryRunner.query(`DROP INDEX "public"."uq_gi_authorisations_period"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_718830752d1d50a5b9095ff8ba"`);
    await queryRunner.query(`DROP TABLE "gi_authorisations"`);
  }
}
