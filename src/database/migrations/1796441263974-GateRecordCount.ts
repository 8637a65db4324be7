import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * A gate record no longer names every application it found (1,000 ids on a crop sprayed all season
 * made the gate's write and its audit entry the slowest part of creating a batch): it counts them,
 * and names only those that decided or justify the outcome. Existing records named all: their count
 * is the length of that list.
 */

export class GateRecordCount1796441263974 implements MigrationInterface {
  name = 'GateRecordCount1796441263974';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "phi_gate_records" ADD "application_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`UPDATE "phi_gate_records" SET "application_count" = cardinality("application_ids") WHERE cardinality("application_ids") > 0`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "phi_gate_records" DROP COLUMN "application_count"`);
  }
}
