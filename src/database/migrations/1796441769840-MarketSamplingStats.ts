import { MigrationInterface, QueryRunner } from 'typeorm';

export class MarketSamplingStats1796441769840 implements MigrationInterface {
  name = 'MarketSamplingStats1796441769840';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "market_sampling_imports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "source" character varying(300) NOT NULL, "file_name" character varying(200), "organization_id" uuid, "imported_by" character varying(60), "scope_code" character(6), "periods" text array NOT NULL, "row_count" integer NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a42693c4d474acddb729723f463" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "market_sampling_stats" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "period" character varying(7) NOT NULL, "period_from" character(7) NOT NULL, "period_to" character(7) NOT NULL, "region_code" character(6) NOT NULL, "samples" integer NOT NULL, "failed" integer NOT NULL, "import_id" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7d49f2d515fee4d5ad6aabda2d6" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_e4346563b7c00038603cf8940d" ON "market_sampling_stats"  ("region_code", "period_to") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_market_sampling_stats_period_region" ON "market_sampling_stats"  ("period", "region_code") `);
    await queryRunner.query(`ALTER TABLE "market_sampling_imports" ADD CONSTRAINT "FK_a8962200f9a0a5a01d2d7536976" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "market_sampling_stats" ADD CONSTRAINT "FK_d7f2ee32fe058c1d83df73597f7" FOREIGN KEY ("import_id") REFERENCES "market_sampling_imports"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "market_sampling_stats" DROP CONSTRAINT "FK_d7f2ee32fe058c1d83df73597f7"`);
    await queryRunner.query(`ALTER TABLE "market_sampling_imports" DROP CONSTRAINT "FK_a8962200f9a0a5a01d2d7536976"`);
    await queryRunner.query(`DROP INDEX "public"."uq_market_sampling_stats_period_region"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e4346563b7c00038603cf8940d"`);
    await queryRunner.query(`DROP TABLE "market_sampling_stats"`);
    await queryRunner.query(`DROP TABLE "market_sampling_imports"`);
  }
}
