import { MigrationInterface, QueryRunner } from 'typeorm';

/** Optional GS1 GLNs on organisations (party, AI 417) and sites (location, AI 414), each unique. */
export class Glns1796422573186 implements MigrationInterface {
  name = 'Glns1796422573186';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "organizations" ADD "gln" character varying(13)');
    await queryRunner.query('ALTER TABLE "sites" ADD "gln" character varying(13)');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_organizations_gln" ON "organizations" ("gln") WHERE gln IS NOT NULL');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_sites_gln" ON "sites" ("gln") WHERE gln IS NOT NULL');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."uq_sites_gln"');
    await queryRunner.query('DROP INDEX "public"."uq_organizations_gln"');
    await queryRunner.query('ALTER TABLE "sites" DROP COLUMN "gln"');
    await queryRunner.query('ALTER TABLE "organizations" DROP COLUMN "gln"');
  }
}
