import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Inspection frequency by risk grade (issue 19): months between inspections per published grade,
 * as data. The seeded intervals are the platform's defaults, not a published rule: unverified, with
 * their source, to be replaced by the province's.
 */
const SOURCE = 'Platform default (issue 19), not an official rule: replace with the province\'s inspection frequency per risk grade';
const RULES: [string, number][] = [['high', 3], ['medium', 6], ['low', 12], ['ungraded', 12]];

export class InspectionFrequencyRules1796435000000 implements MigrationInterface {
  name = 'InspectionFrequencyRules1796435000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "inspection_frequency_rules" ("grade" character varying(10) NOT NULL, "interval_months" integer NOT NULL, "source" character varying(300) NOT NULL, "verified" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_inspection_frequency_rules" PRIMARY KEY ("grade"))`);
    for (const [grade, months] of RULES) {
      await queryRunner.query('INSERT INTO inspection_frequency_rules (grade, interval_months, source, verified) VALUES ($1, $2, $3, false)', [grade, months, SOURCE]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "inspection_frequency_rules"');
  }
}
