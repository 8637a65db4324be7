import { MigrationInterface, QueryRunner } from 'typeorm';

export class LimitsEngine1795752436748 implements MigrationInterface {
  name = 'LimitsEngine1795752436748';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "limit_analytes" ("name" character varying(100) NOT NULL, "name_en" character varying(200) NOT NULL DEFAULT '', "banned" boolean NOT NULL DEFAULT false, "must_not_detect" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3f6a374aa5a3e7cc0334bf4c954" PRIMARY KEY ("name"))`);
    await queryRunner.query(`CREATE TABLE "limit_rows" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "standard" character varying(30) NOT NULL, "edition" character varying(4) NOT NULL, "effective_from" date NOT NULL, "analyte" character varying(100) NOT NULL, "kind" character varying(20) NOT NULL, "food_path" character varying(200) NOT NULL, "limit_mg_per_kg" numeric(24,12), "verified" boolean NOT NULL DEFAULT false, "note" character varying(500) NOT NULL DEFAULT '', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bb6e2447cd8498198bad5d0706c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_2849d715a286d55c37b26116d5" ON "limit_rows"  ("analyte", "food_path") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_limit_rows_edition_analyte_food" ON "limit_rows"  ("standard", "edition", "analyte", "food_path") `);
    await queryRunner.query(`ALTER TABLE "limit_rows" ADD CONSTRAINT "FK_6c1de2000711b46e5f7aa94e244" FOREIGN KEY ("analyte") REFERENCES "limit_analytes"("name") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "limit_rows" ADD CONSTRAINT "FK_43409ecb6ee00d403b431b63dd0" FOREIGN KEY ("food_path") REFERENCES "food_categories"("path") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "limit_rows" DROP CONSTRAINT "FK_43409ecb6ee00d403b431b63dd0"`);
    await queryRunner.query(`ALTER TABLE "limit_rows" DROP CONSTRAINT "FK_6c1de2000711b46e5f7aa94e244"`);
    await queryRunner.query(`DROP INDEX "public"."uq_limit_rows_edition_analyte_food"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2849d715a286d55c37b26116d5"`);
    await queryRunner.query(`DROP TABLE "limit_rows"`);
    await queryRunner.query(`DROP TABLE "limit_analytes"`);
  }
}
