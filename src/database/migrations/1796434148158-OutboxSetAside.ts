import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * A job the queue refuses (while it accepts others) used to fail the relay's whole transaction, so it
 * and every job recorded after it were retried forever. Now each refusal is counted on its row and the
 * row is set aside after a few; failed_at keeps it out of the relay and visible in /metrics.
 */

export class OutboxSetAside1796434148158 implements MigrationInterface {
  name = 'OutboxSetAside1796434148158';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox" ADD "relay_attempts" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "outbox" ADD "relay_error" text`);
    await queryRunner.query(`ALTER TABLE "outbox" ADD "failed_at" TIMESTAMP(3) WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox" DROP COLUMN "failed_at"`);
    await queryRunner.query(`ALTER TABLE "outbox" DROP COLUMN "relay_error"`);
    await queryRunner.query(`ALTER TABLE "outbox" DROP COLUMN "relay_attempts"`);
  }
}
