import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Resident population by region as data (issue 19: sampling_density_per_1000), filled by the seed
 * step from src/database/seed/population-sichuan-2020.csv (Sichuan's 7th census bulletin, 2020).
 */
export class RegionPopulations1796435100000 implements MigrationInterface {
  name = 'RegionPopulations1796435100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "region_populations" ("region_code" character(6) NOT NULL, "name" character varying(60) NOT NULL, "population" integer NOT NULL, "as_of" date NOT NULL, "source" character varying(300) NOT NULL, "verified" boolean NOT NULL DEFAULT false, "note" character varying(500) NOT NULL DEFAULT '', CONSTRAINT "PK_region_populations" PRIMARY KEY ("region_code"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "region_populations"');
  }
}
