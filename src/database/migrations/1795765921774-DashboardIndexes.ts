import { MigrationInterface, QueryRunner } from 'typeorm';

export class DashboardIndexes1795765921774 implements MigrationInterface {
  name = 'DashboardIndexes1795765921774';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_batches_created" ON "batches"  ("created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_samples_failed" ON "samples"  ("judged_on", "id", "region_code", "organization_id") WHERE verdict = 'fail' AND recheck_of IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_samples_failed"`);
    await queryRunner.query(`DROP INDEX "public"."ix_batches_created"`);
  }
}
