import { MigrationInterface, QueryRunner } from 'typeorm';

export class Markets1796421410448 implements MigrationInterface {
  name = 'Markets1796421410448';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "market_entries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "seller_id" uuid, "stall_id" uuid, "entered_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "entered_on" date NOT NULL, "vehicle_plate" character varying(10), "status" character varying(20) NOT NULL, "verified" boolean NOT NULL, "item_count" integer NOT NULL, "refused_count" integer NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4a9aabae387f9b1e7aa8dd94a0e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_516cc77b35ab11e2c162033a39" ON "market_entries"  ("region_code", "entered_on") `);
    await queryRunner.query(`CREATE INDEX "IDX_36d7089b85b69be288aaf57bad" ON "market_entries"  ("organization_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "market_entry_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "entry_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "stall_id" uuid, "entered_on" date NOT NULL, "position" integer NOT NULL, "proof" character varying(12) NOT NULL, "presented" character varying(300) NOT NULL, "category_path" character varying(300) NOT NULL, "product_name" character varying(100) NOT NULL, "quantity_value" numeric(15,3) NOT NULL, "quantity_unit" character varying(4) NOT NULL, "batch_id" uuid, "certificate_id" uuid, "collection_id" uuid, "origin_region_code" character(6), "origin" character varying(400), "outcome" character varying(10) NOT NULL, "refusal_code" character varying(40), "reason" character varying(500), "other_proof" jsonb, "rapid_test" jsonb, "sample_id" uuid, "disposal" jsonb, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0be4caa5a646ac7c461447a9422" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_683e61e0500c3d0a658c87c072" ON "market_entry_items"  ("entry_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_9295481cdf177041219fe714d9" ON "market_entry_items"  ("origin_region_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_d8f95c14e17260b20cb1a1eba6" ON "market_entry_items"  ("organization_id", "entered_on") `);
    await queryRunner.query(`CREATE INDEX "IDX_a392dc06f32a66e9c76b37cf77" ON "market_entry_items"  ("stall_id", "entered_on") `);
    await queryRunner.query(`CREATE TABLE "market_sellers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "name" character varying(200) NOT NULL, "kind" character varying(10) NOT NULL, "uscc" character varying(18), "id_number_hmac" character(64), "id_number_masked" character varying(18), "contact" jsonb NOT NULL DEFAULT '{}', "address" character varying(300), "products" text array NOT NULL DEFAULT '{}', "supply_channels" text array NOT NULL DEFAULT '{}', "origins" text array NOT NULL DEFAULT '{}', "origin_region_code" character(6), "vehicle_plates" text array NOT NULL DEFAULT '{}', "status" character varying(8) NOT NULL DEFAULT 'active', "stopped_on" date, "retain_until" date, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8b3c127bbb53f689ba2490c8c88" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_48136339980ff1e3648fd73344" ON "market_sellers"  ("region_code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_market_sellers_id_number" ON "market_sellers"  ("organization_id", "id_number_hmac") WHERE id_number_hmac IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_market_sellers_uscc" ON "market_sellers"  ("organization_id", "uscc") WHERE uscc IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_c14ae14d1597cacdd93439b559" ON "market_sellers"  ("organization_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "market_stalls" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "number" character varying(20) NOT NULL, "code" character varying(16) NOT NULL, "seller_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_56228ef55188ff201f1ea5716d7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_636b8522995b973201bbd7911a" ON "market_stalls"  ("region_code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_221ee7107dcbf90a7b3264999f" ON "market_stalls"  ("code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_market_stalls_number" ON "market_stalls"  ("organization_id", "number") `);
    await queryRunner.query(`ALTER TABLE "market_entries" ADD CONSTRAINT "FK_f40d7672888153bb36f0d9fcc4c" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "market_entries" ADD CONSTRAINT "FK_ff8fcdbf91e58cc17524ad3637f" FOREIGN KEY ("seller_id") REFERENCES "market_sellers"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "market_entries" ADD CONSTRAINT "FK_9b4280f55635dd2d568f78ee63e" FOREIGN KEY ("stall_id") REFERENCES "market_stalls"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "market_entry_items" ADD CONSTRAINT "FK_683e61e0500c3d0a658c87c072c" FOREIGN KEY ("entry_id") REFERENCES "market_entries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "market_entry_items" ADD CONSTRAINT "FK_e4ac821a98fbbb359dea3696611" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "market_entry_items" ADD CONSTRAINT "FK_dd3f674eede00ab9c6924cb7f92" FOREIGN KEY ("stall_id") REFERENCES "market_stalls"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "market_entry_items" ADD CONSTRAINT "FK_4b561e9a2d7e27a8d38d3d13fde" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "market_entry_items" ADD CONSTRAINT "FK_b6951d0705acee31760d8dd20cc" FOREIGN KEY ("certificate_id") REFERENCES "certificates"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "market_entry_items" ADD CONSTRAINT "FK_c3cc712e43e2335a24916b8e1ea" FOREIGN KEY ("collection_id") REFERENCES "certificate_collections"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "market_entry_items" ADD CONSTRAINT "FK_98f24e066178b6ea71421e45150" FOREIGN KEY ("sample_id") REFERENCES "samples"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "market_sellers" ADD CONSTRAINT "FK_5edc9cdf6cab55e39ac99b3f12e" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "market_stalls" ADD CONSTRAINT "FK_c0f9dc8ac21e9fa757be7da2e3b" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "market_stalls" ADD CONSTRAINT "FK_4f20f5d949ad2876f2ecdab57a7" FOREIGN KEY ("seller_id") REFERENCES "market_sellers"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "market_stalls" DROP CONSTRAINT "FK_4f20f5d949ad2876f2ecdab57a7"`);
    await queryRunner.query(`ALTER TABLE "market_stalls" DROP CONSTRAINT "FK_c0f9dc8ac21e9fa757be7da2e3b"`);
    await queryRunner.query(`ALTER TABLE "market_sellers" DROP CONSTRAINT "FK_5edc9cdf6cab55e39ac99b3f12e"`);
    await queryRunner.query(`ALTER TABLE "market_entry_items" DROP CONSTRAINT "FK_98f24e066178b6ea71421e45150"`);
    await queryRunner.query(`ALTER TABLE "market_entry_items" DROP CONSTRAINT "FK_c3cc712e43e2335a24916b8e1ea"`);
    await queryRunner.query(`ALTER TABLE "market_entry_items" DROP CONSTRAINT "FK_b6951d0705acee31760d8dd20cc"`);
    await queryRunner.query(`ALTER TABLE "market_entry_items" DROP CONSTRAINT "FK_4b561e9a2d7e27a8d38d3d13fde"`);
    await queryRunner.query(`ALTER TABLE "market_entry_items" DROP CONSTRAINT "FK_dd3f674eede00ab9c6924cb7f92"`);
    await queryRunner.query(`ALTER TABLE "market_entry_items" DROP CONSTRAINT "FK_e4ac821a98fbbb359dea3696611"`);
    await queryRunner.query(`ALTER TABLE "market_entry_items" DROP CONSTRAINT "FK_683e61e0500c3d0a658c87c072c"`);
    await queryRunner.query(`ALTER TABLE "market_entries" DROP CONSTRAINT "FK_9b4280f55635dd2d568f78ee63e"`);
    await queryRunner.query(`ALTER TABLE "market_entries" DROP CONSTRAINT "FK_ff8fcdbf91e58cc17524ad3637f"`);
    await queryRunner.query(`ALTER TABLE "market_entries" DROP CONSTRAINT "FK_f40d7672888153bb36f0d9fcc4c"`);
    await queryRunner.query(`DROP INDEX "public"."uq_market_stalls_number"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_221ee7107dcbf90a7b3264999f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_636b8522995b973201bbd7911a"`);
    await queryRunner.query(`DROP TABLE "market_stalls"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c14ae14d1597cacdd93439b559"`);
    await queryRunner.query(`DROP INDEX "public"."uq_market_sellers_uscc"`);
    await queryRunner.query(`DROP INDEX "public"."uq_market_sellers_id_number"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_48136339980ff1e3648fd73344"`);
    await queryRunner.query(`DROP TABLE "market_sellers"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a392dc06f32a66e9c76b37cf77"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d8f95c14e17260b20cb1a1eba6"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9295481cdf177041219fe714d9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_683e61e0500c3d0a658c87c072"`);
    await queryRunner.query(`DROP TABLE "market_entry_items"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_36d7089b85b69be288aaf57bad"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_516cc77b35ab11e2c162033a39"`);
    await queryRunner.query(`DROP TABLE "market_entries"`);
  }
}
