import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CBV 2.0 event hash IDs as the reference implementation computes them: rows hashed by the earlier
 * approximation are marked version 1 (`migrate` recomputes them, see rehashEvents); captures keep
 * their document's @context prefixes.
 */
export class EventHashCbv21796420731093 implements MigrationInterface {
  name = 'EventHashCbv21796420731093';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "epcis_events" ADD "hash_version" smallint NOT NULL DEFAULT 1');
    await queryRunner.query('ALTER TABLE "epcis_events" ALTER COLUMN "hash_version" SET DEFAULT 2');
    await queryRunner.query('ALTER TABLE "capture_jobs" ADD "prefixes" jsonb');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "capture_jobs" DROP COLUMN "prefixes"');
    await queryRunner.query('ALTER TABLE "epcis_events" DROP COLUMN "hash_version"');
  }
}
