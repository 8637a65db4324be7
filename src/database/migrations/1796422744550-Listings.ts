import { MigrationInterface, QueryRunner } from 'typeorm';

export class Listings1796422744550 implements MigrationInterface {
  name = 'Listings1796422744550';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "listings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "code" character varying(16) NOT NULL, "platform" character varying(20) NOT NULL, "platform_ref" character varying(500) NOT NULL, "product_id" uuid NOT NULL, "product_name" character varying(200) NOT NULL, "category_path" character varying(300) NOT NULL, "certificate_required" boolean NOT NULL, "certified" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_520ecac6c99ec90bcf5a603cdcb" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_e07a5cb1f11cfc391716e13c0b" ON "listings"  ("region_code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_4ec5e415a29e9af53e3353c576" ON "listings"  ("code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_listings_platform_ref" ON "listings"  ("organization_id", "platform", "platform_ref") `);
    await queryRunner.query(`CREATE INDEX "IDX_ab018131ee3b064403715fc854" ON "listings"  ("organization_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "listing_batches" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "listing_id" uuid NOT NULL, "batch_id" uuid NOT NULL, "since" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "until" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_e5b912cc380ef646e6ae0e45330" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_df8dca2a4a0febd834a7d3643b" ON "listing_batches"  ("batch_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_d9159cc3b0e1bba4e8d62c58c0" ON "listing_batches"  ("listing_id", "until") `);
    await queryRunner.query(`CREATE TABLE "listing_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "listing_id" uuid NOT NULL, "host" character varying(100) NOT NULL, "starts_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "batch_ids" uuid array NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3a3d3bbeb191cdcaefa4e7ec0bb" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_222a89d27f368931f1bfd0b449" ON "listing_sessions"  ("listing_id") `);
    await queryRunner.query(`CREATE TABLE "listing_alerts" ("listing_id" uuid NOT NULL, "batch_id" uuid NOT NULL, "status" character varying(10) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f3f371be5339986e33cf928ecff" PRIMARY KEY ("listing_id", "batch_id", "status"))`);
    await queryRunner.query(`ALTER TABLE "listings" ADD CONSTRAINT "FK_8b2c2f234ef0fa21d457785620e" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "listings" ADD CONSTRAINT "FK_7af0fa0c21711f67b499089d273" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "listing_batches" ADD CONSTRAINT "FK_3aaded15d7a0bd86fdbe1120918" FOREIGN KEY ("listing_id") REFERENCES "listings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "listing_batches" ADD CONSTRAINT "FK_df8dca2a4a0febd834a7d3643bd" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "listing_sessions" ADD CONSTRAINT "FK_222a89d27f368931f1bfd0b4490" FOREIGN KEY ("listing_id") REFERENCES "listings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "listing_sessions" DROP CONSTRAINT "FK_222a89d27f368931f1bfd0b4490"`);
    await queryRunner.query(`ALTER TABLE "listing_batches" DROP CONSTRAINT "FK_df8dca2a4a0febd834a7d3643bd"`);
    await queryRunner.query(`ALTER TABLE "listing_batches" DROP CONSTRAINT "FK_3aaded15d7a0bd86fdbe1120918"`);
    await queryRunner.query(`ALTER TABLE "listings" DROP CONSTRAINT "FK_7af0fa0c21711f67b499089d273"`);
    await queryRunner.query(`ALTER TABLE "listings" DROP CONSTRAINT "FK_8b2c2f234ef0fa21d457785620e"`);
    await queryRunner.query(`DROP TABLE "listing_alerts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_222a89d27f368931f1bfd0b449"`);
    await queryRunner.query(`DROP TABLE "listing_sessions"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d9159cc3b0e1bba4e8d62c58c0"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_df8dca2a4a0febd834a7d3643b"`);
    await queryRunner.query(`DROP TABLE "listing_batches"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ab018131ee3b064403715fc854"`);
    await queryRunner.query(`DROP INDEX "public"."uq_listings_platform_ref"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4ec5e415a29e9af53e3353c576"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e07a5cb1f11cfc391716e13c0b"`);
    await queryRunner.query(`DROP TABLE "listings"`);
  }
}
