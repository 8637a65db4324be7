import { MigrationInterface, QueryRunner } from 'typeorm';

export class CertificateLedger1796419790548 implements MigrationInterface {
  name = 'CertificateLedger1796419790548';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "certificate_ledger" ("certificate_id" uuid NOT NULL, "collected_base_milli" numeric(30,0) NOT NULL, "collections" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0c00c405d5e43796c8226506213" PRIMARY KEY ("certificate_id"))`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" ADD "category_path" character varying(300)`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" ADD "source" character varying(12) NOT NULL DEFAULT 'purchase'`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" DROP CONSTRAINT "FK_4b677ef522a94fac77f41de7c1c"`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" ALTER COLUMN "product_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" ADD CONSTRAINT "FK_4b677ef522a94fac77f41de7c1c" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "certificate_ledger" ADD CONSTRAINT "FK_0c00c405d5e43796c8226506213" FOREIGN KEY ("certificate_id") REFERENCES "certificates"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "certificate_ledger" DROP CONSTRAINT "FK_0c00c405d5e43796c8226506213"`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" DROP CONSTRAINT "FK_4b677ef522a94fac77f41de7c1c"`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" ALTER COLUMN "product_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" ADD CONSTRAINT "FK_4b677ef522a94fac77f41de7c1c" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" DROP COLUMN "source"`);
    await queryRunner.query(`ALTER TABLE "certificate_collections" DROP COLUMN "category_path"`);
    await queryRunner.query(`DROP TABLE "certificate_ledger"`);
  }
}
