import { MigrationInterface, QueryRunner } from 'typeorm';

export class JobRecovery1795840000010 implements MigrationInterface {
  name = 'JobRecovery1795840000010';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "job_recoveries" ("queue" character varying(60) NOT NULL, "base_job_id" character varying(200) NOT NULL, "current_job_id" character varying(220) NOT NULL, "requeues" integer NOT NULL, "last_cause" character varying(500) NOT NULL, "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c16463bbe1b7344fa2e3a821cfe" PRIMARY KEY ("queue", "base_job_id"))`);
    await queryRunner.query(`ALTER TABLE "outbox" ADD "dispatched_to" character varying(120)`);
    await queryRunner.query(`ALTER TABLE "sample_judge_chunks" ADD "failed_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "sample_judge_chunks" ADD "error" character varying(500)`);
    await queryRunner.query(`CREATE INDEX "ix_outbox_job_id" ON "outbox"  ("job_id") `);
    await queryRunner.query(`CREATE INDEX "ix_label_renders_unfinished" ON "label_renders"  ("created_at") WHERE status IN ('pending', 'rendering')`);
    await queryRunner.query(`CREATE INDEX "ix_sample_judge_chunks_open" ON "sample_judge_chunks"  ("created_at") WHERE done_at IS NULL AND failed_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "ix_capture_jobs_unfinished" ON "capture_jobs"  ("created_at") WHERE status IN ('pending', 'running')`);
    await queryRunner.query(`CREATE INDEX "ix_webhook_deliveries_pending" ON "webhook_deliveries"  ("created_at") WHERE status = 'pending'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_webhook_deliveries_pending"`);
    await queryRunner.query(`DROP INDEX "public"."ix_capture_jobs_unfinished"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sample_judge_chunks_open"`);
    await queryRunner.query(`DROP INDEX "public"."ix_label_renders_unfinished"`);
    await queryRunner.query(`DROP INDEX "public"."ix_outbox_job_id"`);
    await queryRunner.query(`ALTER TABLE "sample_judge_chunks" DROP COLUMN "error"`);
    await queryRunner.query(`ALTER TABLE "sample_judge_chunks" DROP COLUMN "failed_at"`);
    await queryRunner.query(`ALTER TABLE "outbox" DROP COLUMN "dispatched_to"`);
    await queryRunner.query(`DROP TABLE "job_recoveries"`);
  }
}
