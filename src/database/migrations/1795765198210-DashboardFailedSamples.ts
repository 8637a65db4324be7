import { MigrationInterface, QueryRunner } from 'typeorm';

export class DashboardFailedSamples1795765198210 implements MigrationInterface {
  name = 'DashboardFailedSamples1795765198210';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_samples_failed" ON "samples"  ("judged_on", "id", "region_code", "organization_id") WHERE verdict = 'fail' AND recheck_of IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_samples_failed"`);
  }
}
