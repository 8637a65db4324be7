import { MigrationInterface, QueryRunner } from 'typeorm';

export class MarkSchemes1796420128727 implements MigrationInterface {
  name = 'MarkSchemes1796420128727';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "mark_claim_refusals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "mark_id" uuid NOT NULL, "scheme" character varying(20) NOT NULL, "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "claimed_on" date NOT NULL, "reason" character varying(40) NOT NULL, "quantity_value" numeric(15,3) NOT NULL, "quantity_unit" character varying(4) NOT NULL, "details" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_92f498b2b62a784fcdfced6c84d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_0a874ba5194e5bf9814a382328" ON "mark_claim_refusals"  ("mark_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_b7c31ecbe5ce4fa07b053d1575" ON "mark_claim_refusals"  ("scheme", "claimed_on") `);
    await queryRunner.query(`CREATE TABLE "mark_claims" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "batch_id" uuid NOT NULL, "mark_id" uuid NOT NULL, "scheme" character varying(20) NOT NULL, "licence_id" uuid, "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "claimed_on" date NOT NULL, "year" smallint NOT NULL, "quantity_value" numeric(15,3) NOT NULL, "quantity_unit" character varying(4) NOT NULL, "base_amount" numeric(24,6) NOT NULL, "base_unit" character varying(4) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_803e75014ba451cb885afc760ae" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_e60b82d1ff820f46275dbd577b" ON "mark_claims"  ("scheme", "claimed_on") `);
    await queryRunner.query(`CREATE INDEX "IDX_bf848e57d70956699c5ba5d547" ON "mark_claims"  ("mark_id", "year") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_mark_claims_batch_mark" ON "mark_claims"  ("batch_id", "mark_id") `);
    await queryRunner.query(`CREATE TABLE "mark_licences" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "mark_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "valid_from" date NOT NULL, "valid_to" date, "quota_value" numeric(15,3), "quota_unit" character varying(4), "status" character varying(10) NOT NULL DEFAULT 'active', "revoked_on" date, "revoked_reason" character varying(500), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_00c189bd8ee8dd5cee9738181e3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_fb7fc6e1cd2ca8418c6a806636" ON "mark_licences"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_mark_licences_period" ON "mark_licences"  ("mark_id", "organization_id", "valid_from") `);
    await queryRunner.query(`CREATE TABLE "mark_records" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "scheme" character varying(20) NOT NULL, "number" character varying(60) NOT NULL, "number_format" character varying(20) NOT NULL, "format_verified" boolean NOT NULL, "holder_uscc" character varying(18) NOT NULL, "holder_name" character varying(200), "holder_organization_id" uuid, "holder_region_code" character(6) NOT NULL, "enterprise_code" character varying(14), "certifier" character varying(200), "product_ids" jsonb NOT NULL DEFAULT '[]', "product_names" jsonb NOT NULL DEFAULT '[]', "category_paths" jsonb NOT NULL DEFAULT '[]', "site_ids" jsonb NOT NULL DEFAULT '[]', "area_codes" jsonb NOT NULL DEFAULT '[]', "valid_from" date NOT NULL, "valid_to" date, "quota_value" numeric(15,3), "quota_unit" character varying(4), "status" character varying(10) NOT NULL DEFAULT 'active', "revoked_on" date, "revoked_reason" character varying(500), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5ef29c4f6ad91b5e170649ce189" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_2e9211042f058e574a67d5b6b8" ON "mark_records"  ("holder_uscc") `);
    await queryRunner.query(`CREATE INDEX "IDX_986f0869af6ac6d0ff34e20dbf" ON "mark_records"  ("holder_region_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_026b23d2b2293b27a12cfd9413" ON "mark_records"  ("valid_to") `);
    await queryRunner.query(`CREATE INDEX "IDX_b7c971803b8b087441b181ffa9" ON "mark_records"  ("holder_organization_id", "scheme") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_mark_records_scheme_number" ON "mark_records"  ("scheme", "number") `);
    await queryRunner.query(`CREATE TABLE "organic_code_allocations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "mark_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "kind" character varying(10) NOT NULL, "count" integer NOT NULL, "first_code" character varying(24) NOT NULL, "last_code" character varying(24) NOT NULL, "note" character varying(500), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_70aaf0659a34e11b9cf7f5b88a5" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_6ed97a157b66ebed8609313f89" ON "organic_code_allocations"  ("mark_id") `);
    await queryRunner.query(`CREATE TABLE "organic_codes" ("code" character varying(24) NOT NULL, "mark_id" uuid NOT NULL, "allocation_id" uuid NOT NULL, "print_run_id" uuid, "serial" integer, "used_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_8d3466ed1006df6cb7c341a3d01" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_organic_codes_run_serial" ON "organic_codes"  ("print_run_id", "serial") `);
    await queryRunner.query(`CREATE INDEX "ix_organic_codes_free" ON "organic_codes"  ("mark_id", "code") WHERE print_run_id IS NULL`);
    await queryRunner.query(`ALTER TABLE "mark_claim_refusals" ADD CONSTRAINT "FK_0a874ba5194e5bf9814a3823286" FOREIGN KEY ("mark_id") REFERENCES "mark_records"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "mark_claim_refusals" ADD CONSTRAINT "FK_9ed52100f2028ea09c14eba3eec" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "mark_claims" ADD CONSTRAINT "FK_9d993c8f1cdacbe92192d84054c" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "mark_claims" ADD CONSTRAINT "FK_d785b2624707ba7fd2230e33ed6" FOREIGN KEY ("mark_id") REFERENCES "mark_records"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "mark_claims" ADD CONSTRAINT "FK_ae923b8fe8d9297dbbdf6153233" FOREIGN KEY ("licence_id") REFERENCES "mark_licences"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "mark_claims" ADD CONSTRAINT "FK_c00c5a6ad7afca61e036c6a6277" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "mark_licences" ADD CONSTRAINT "FK_12021dec24e1c46663b21250372" FOREIGN KEY ("mark_id") REFERENCES "mark_records"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "mark_licences" ADD CONSTRAINT "FK_fb7fc6e1cd2ca8418c6a8066366" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "mark_records" ADD CONSTRAINT "FK_28dfea2aa2bd5f710ed952b80d9" FOREIGN KEY ("holder_organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "organic_code_allocations" ADD CONSTRAINT "FK_6ed97a157b66ebed8609313f896" FOREIGN KEY ("mark_id") REFERENCES "mark_records"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "organic_code_allocations" ADD CONSTRAINT "FK_832d52ca698dd9958b14b59e509" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "organic_codes" ADD CONSTRAINT "FK_beaae13b74d357149d4bc122d8a" FOREIGN KEY ("mark_id") REFERENCES "mark_records"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "organic_codes" ADD CONSTRAINT "FK_842b1e859cc45bc0b68da692def" FOREIGN KEY ("allocation_id") REFERENCES "organic_code_allocations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "organic_codes" ADD CONSTRAINT "FK_e0c5465801d8ab2a3799a561259" FOREIGN KEY ("print_run_id") REFERENCES "print_runs"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organic_codes" DROP CONSTRAINT "FK_e0c5465801d8ab2a3799a561259"`);
    await queryRunner.query(`ALTER TABLE "organic_codes" DROP CONSTRAINT "FK_842b1e859cc45bc0b68da692def"`);
    await queryRunner.query(`ALTER TABLE "organic_codes" DROP CONSTRAINT "FK_beaae13b74d357149d4bc122d8a"`);
    await queryRunner.query(`ALTER TABLE "organic_code_allocations" DROP CONSTRAINT "FK_832d52ca698dd9958b14b59e509"`);
    await queryRunner.query(`ALTER TABLE "organic_code_allocations" DROP CONSTRAINT "FK_6ed97a157b66ebed8609313f896"`);
    await queryRunner.query(`ALTER TABLE "mark_records" DROP CONSTRAINT "FK_28dfea2aa2bd5f710ed952b80d9"`);
    await queryRunner.query(`ALTER TABLE "mark_licences" DROP CONSTRAINT "FK_fb7fc6e1cd2ca8418c6a8066366"`);
    await queryRunner.query(`ALTER TABLE "mark_licences" DROP CONSTRAINT "FK_12021dec24e1c46663b21250372"`);
    await queryRunner.query(`ALTER TABLE "mark_claims" DROP CONSTRAINT "FK_c00c5a6ad7afca61e036c6a6277"`);
    await queryRunner.query(`ALTER TABLE "mark_claims" DROP CONSTRAINT "FK_ae923b8fe8d9297dbbdf6153233"`);
    await queryRunner.query(`ALTER TABLE "mark_claims" DROP CONSTRAINT "FK_d785b2624707ba7fd2230e33ed6"`);
    await queryRunner.query(`ALTER TABLE "mark_claims" DROP CONSTRAINT "FK_9d993c8f1cdacbe92192d84054c"`);
    await queryRunner.query(`ALTER TABLE "mark_claim_refusals" DROP CONSTRAINT "FK_9ed52100f2028ea09c14eba3eec"`);
    await queryRunner.query(`ALTER TABLE "mark_claim_refusals" DROP CONSTRAINT "FK_0a874ba5194e5bf9814a3823286"`);
    await queryRunner.query(`DROP INDEX "public"."ix_organic_codes_free"`);
    await queryRunner.query(`DROP INDEX "public"."uq_organic_codes_run_serial"`);
    await queryRunner.query(`DROP TABLE "organic_codes"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6ed97a157b66ebed8609313f89"`);
    await queryRunner.query(`DROP TABLE "organic_code_allocations"`);
    await queryRunner.query(`DROP INDEX "public"."uq_mark_records_scheme_number"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b7c971803b8b087441b181ffa9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_026b23d2b2293b27a12cfd9413"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_986f0869af6ac6d0ff34e20dbf"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2e9211042f058e574a67d5b6b8"`);
    await queryRunner.query(`DROP TABLE "mark_records"`);
    await queryRunner.query(`DROP INDEX "public"."uq_mark_licences_period"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fb7fc6e1cd2ca8418c6a806636"`);
    await queryRunner.query(`DROP TABLE "mark_licences"`);
    await queryRunner.query(`DROP INDEX "public"."uq_mark_claims_batch_mark"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bf848e57d70956699c5ba5d547"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e60b82d1ff820f46275dbd577b"`);
    await queryRunner.query(`DROP TABLE "mark_claims"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b7c31ecbe5ce4fa07b053d1575"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0a874ba5194e5bf9814a382328"`);
    await queryRunner.query(`DROP TABLE "mark_claim_refusals"`);
  }
}
