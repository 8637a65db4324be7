import { MigrationInterface, QueryRunner } from 'typeorm';

export class ProductFormerGtins1795860000001 implements MigrationInterface {
  name = 'ProductFormerGtins1795860000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "product_former_gtins" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "product_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "gtin" character(14) NOT NULL, "replaced_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2ce68b9e28a3384e4415cc7c45d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_243328592a3061920d75679daf" ON "product_former_gtins"  ("product_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_5fcc0b3eae8728071475c1e6a1" ON "product_former_gtins"  ("gtin") `);
    await queryRunner.query(`ALTER TABLE "print_runs" ADD "gtin" character(14)`);
    // Runs printed before this column existed: the product's GTIN now is the best record of it.
    await queryRunner.query(`UPDATE "print_runs" r SET "gtin" = p."gtin" FROM "batches" b JOIN "products" p ON p."id" = b."product_id" WHERE b."id" = r."batch_id"`);
    await queryRunner.query(`ALTER TABLE "product_former_gtins" ADD CONSTRAINT "FK_243328592a3061920d75679dafc" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "product_former_gtins" ADD CONSTRAINT "FK_13d577f8febe07f7f8fa5f137d0" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "product_former_gtins" DROP CONSTRAINT "FK_13d577f8febe07f7f8fa5f137d0"`);
    await queryRunner.query(`ALTER TABLE "product_former_gtins" DROP CONSTRAINT "FK_243328592a3061920d75679dafc"`);
    await queryRunner.query(`ALTER TABLE "print_runs" DROP COLUMN "gtin"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5fcc0b3eae8728071475c1e6a1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_243328592a3061920d75679daf"`);
    await queryRunner.query(`DROP TABLE "product_former_gtins"`);
  }
}
