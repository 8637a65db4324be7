import { MigrationInterface, QueryRunner } from 'typeorm';

export class Fsma204KeyDataElements1796431584444 implements MigrationInterface {
  name = 'Fsma204KeyDataElements1796431584444';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "batches" ADD "variety" character varying(100)`);
    await queryRunner.query(`ALTER TABLE "batches" ADD "growing_area" character varying(200)`);
    await queryRunner.query(`ALTER TABLE "batches" ADD "harvester_name" character varying(200)`);
    await queryRunner.query(`ALTER TABLE "batches" ADD "harvester_phone" character varying(30)`);
    await queryRunner.query(`ALTER TABLE "batches" ADD "cooled_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "batches" ADD "cooling_site_id" uuid`);
    await queryRunner.query(`ALTER TABLE "batches" ADD "tlc_source_site_id" uuid`);
    await queryRunner.query(`ALTER TABLE "batches" ADD CONSTRAINT "FK_5ca3736f01bb97d0b160e3a6d96" FOREIGN KEY ("cooling_site_id") REFERENCES "sites"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "batches" ADD CONSTRAINT "FK_038447b4233012a025c44fb09d2" FOREIGN KEY ("tlc_source_site_id") REFERENCES "sites"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "batches" DROP CONSTRAINT "FK_038447b4233012a025c44fb09d2"`);
    await queryRunner.query(`ALTER TABLE "batches" DROP CONSTRAINT "FK_5ca3736f01bb97d0b160e3a6d96"`);
    await queryRunner.query(`ALTER TABLE "batches" DROP COLUMN "tlc_source_site_id"`);
    await queryRunner.query(`ALTER TABLE "batches" DROP COLUMN "cooling_site_id"`);
    await queryRunner.query(`ALTER TABLE "batches" DROP COLUMN "cooled_at"`);
    await queryRunner.query(`ALTER TABLE "batches" DROP COLUMN "harvester_phone"`);
    await queryRunner.query(`ALTER TABLE "batches" DROP COLUMN "harvester_name"`);
    await queryRunner.query(`ALTER TABLE "batches" DROP COLUMN "growing_area"`);
    await queryRunner.query(`ALTER TABLE "batches" DROP COLUMN "variety"`);
  }
}
