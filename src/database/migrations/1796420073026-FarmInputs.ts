import { MigrationInterface, QueryRunner } from 'typeorm';

export class FarmInputs1796420073026 implements MigrationInterface {
  name = 'FarmInputs1796420073026';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "farm_inputs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(20) NOT NULL, "name" character varying(100) NOT NULL, "registration_number" character varying(40), "registration_legacy" boolean NOT NULL DEFAULT false, "holder" character varying(200), "active_ingredients" jsonb NOT NULL DEFAULT '[]', "crop_rules" jsonb NOT NULL DEFAULT '[]', "banned" boolean NOT NULL DEFAULT false, "restricted" boolean NOT NULL DEFAULT false, "low_risk" boolean NOT NULL DEFAULT false, "slow_release" boolean NOT NULL DEFAULT false, "organic" boolean NOT NULL DEFAULT false, "verified" boolean NOT NULL DEFAULT false, "source" character varying(300) NOT NULL, "note" character varying(500) NOT NULL DEFAULT '', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b40d4f8d2ac0f6d01a42125f294" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_dae82a0e45348baeb67b2d9e66" ON "farm_inputs"  ("created_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_farm_inputs_registration" ON "farm_inputs"  ("kind", "registration_number") WHERE registration_number IS NOT NULL`);
    await queryRunner.query(`CREATE TABLE "input_applications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "site_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "input_id" uuid NOT NULL, "input_kind" character varying(20) NOT NULL, "crop_category" character varying(200) NOT NULL, "animal_group" character varying(100), "ear_tags" text array NOT NULL DEFAULT '{}', "applied_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "applied_on" date NOT NULL, "dose_value" numeric(16,4) NOT NULL, "dose_unit" character varying(8) NOT NULL, "area_value" numeric(16,4) NOT NULL, "area_unit" character varying(8) NOT NULL, "target" character varying(200) NOT NULL, "operator_name" character varying(100) NOT NULL, "label_code" character varying(32), "low_risk" boolean NOT NULL DEFAULT false, "organic" boolean NOT NULL DEFAULT false, "warnings" jsonb NOT NULL DEFAULT '[]', "status" character varying(10) NOT NULL DEFAULT 'recorded', "void_reason" character varying(500), "voided_at" TIMESTAMP(3) WITH TIME ZONE, "replaces_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_490074701919460459848d6de02" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_996cd118794174848ad4ebc745" ON "input_applications"  ("input_id") `);
    await queryRunner.query(`CREATE INDEX "ix_input_applications_site_day" ON "input_applications"  ("site_id", "applied_on") `);
    await queryRunner.query(`CREATE INDEX "IDX_42f474454915fcf3a603da44d5" ON "input_applications"  ("organization_id", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "phi_gate_records" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "outcome" character varying(10) NOT NULL, "batch_id" uuid, "organization_id" uuid NOT NULL, "site_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "category_path" character varying(200) NOT NULL, "harvested_on" date NOT NULL, "application_ids" uuid array NOT NULL DEFAULT '{}', "findings" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ad59698452cce9ef1fa4f592ad9" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_823cb55d8cf4d409df7f497029" ON "phi_gate_records"  ("organization_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_f6a061a1c93c1a5b0a5b59e399" ON "phi_gate_records"  ("batch_id") `);
    await queryRunner.query(`CREATE TABLE "phi_overrides" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "application_id" uuid NOT NULL, "category_path" character varying(200) NOT NULL, "reason" character varying(500) NOT NULL, "regulator_organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_857094550ca2754d3cba2208681" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_512b5356d8eb47488bb5534aa1" ON "phi_overrides"  ("application_id", "category_path") `);
    await queryRunner.query(`ALTER TABLE "batches" ADD "harvested_on" date`);
    await queryRunner.query(`ALTER TABLE "input_applications" ADD CONSTRAINT "FK_e4e919da1b2688b14b89d4e8772" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "input_applications" ADD CONSTRAINT "FK_ae6b8cb2fcd248a96a5afe86f54" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "input_applications" ADD CONSTRAINT "FK_996cd118794174848ad4ebc7455" FOREIGN KEY ("input_id") REFERENCES "farm_inputs"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "input_applications" DROP CONSTRAINT "FK_996cd118794174848ad4ebc7455"`);
    await queryRunner.query(`ALTER TABLE "input_applications" DROP CONSTRAINT "FK_ae6b8cb2fcd248a96a5afe86f54"`);
    await queryRunner.query(`ALTER TABLE "input_applications" DROP CONSTRAINT "FK_e4e919da1b2688b14b89d4e8772"`);
    await queryRunner.query(`ALTER TABLE "batches" DROP COLUMN "harvested_on"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_512b5356d8eb47488bb5534aa1"`);
    await queryRunner.query(`DROP TABLE "phi_overrides"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f6a061a1c93c1a5b0a5b59e399"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_823cb55d8cf4d409df7f497029"`);
    await queryRunner.query(`DROP TABLE "phi_gate_records"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_42f474454915fcf3a603da44d5"`);
    await queryRunner.query(`DROP INDEX "public"."ix_input_applications_site_day"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_996cd118794174848ad4ebc745"`);
    await queryRunner.query(`DROP TABLE "input_applications"`);
    await queryRunner.query(`DROP INDEX "public"."uq_farm_inputs_registration"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_dae82a0e45348baeb67b2d9e66"`);
    await queryRunner.query(`DROP TABLE "farm_inputs"`);
  }
}
