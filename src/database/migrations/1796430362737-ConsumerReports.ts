import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Consumer reports (问题反馈, issue 19) and the counterfeit alerts they raise. No IP address column:
 * client_key is a keyed hash kept for the alert window; phone and photos go at retain_until.
 */

export class ConsumerReports1796430362737 implements MigrationInterface {
  name = 'ConsumerReports1796430362737';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "consumer_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(20) NOT NULL, "batch_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "category" character varying(12) NOT NULL, "text" character varying(1000) NOT NULL, "photos" jsonb NOT NULL DEFAULT '[]', "phone" character varying(11), "phone_consent_at" TIMESTAMP(3) WITH TIME ZONE, "retain_until" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "personal_data_deleted_at" TIMESTAMP(3) WITH TIME ZONE, "client_key" character varying(24), "follow_up_hash" character(64) NOT NULL, "status" character varying(8) NOT NULL DEFAULT 'new', "triage_note" character varying(500) NOT NULL DEFAULT '', "triaged_at" TIMESTAMP(3) WITH TIME ZONE, "triaged_by_organization_id" uuid, "reply" character varying(1000), "first_replied_at" TIMESTAMP(3) WITH TIME ZONE, "replied_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8f5aa163d6ab566085cebe7b077" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_consumer_reports_retention" ON "consumer_reports"  ("retain_until") WHERE personal_data_deleted_at IS NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_ecbacc230e5878ebce179ec4fa" ON "consumer_reports"  ("follow_up_hash") `);
    await queryRunner.query(`CREATE INDEX "IDX_46dbde281e8d3ea47e8825660a" ON "consumer_reports"  ("code", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_044fbb8413c4b53b1222345fe6" ON "consumer_reports"  ("region_code", "status", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_3d2b82521a602bbe946a16f34d" ON "consumer_reports"  ("organization_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "consumer_report_alerts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(20) NOT NULL, "batch_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "clients" integer NOT NULL, "window_days" integer NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_104815e19fe5ae937dd0e998f55" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_4ba58983cd4934c84020b7dbca" ON "consumer_report_alerts"  ("region_code", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_6f538becc96ceb15b281898e34" ON "consumer_report_alerts"  ("code", "created_at") `);
    await queryRunner.query(`ALTER TABLE "consumer_reports" ADD CONSTRAINT "FK_f341ddd73e2469b107320be6751" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "consumer_reports" ADD CONSTRAINT "FK_3c31f9d06cb58fb03bcd8f582e1" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "consumer_reports" ADD CONSTRAINT "FK_53f8fb2376e172ffe5bfa19a2f3" FOREIGN KEY ("triaged_by_organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "consumer_report_alerts" ADD CONSTRAINT "FK_0ea12eb5607466e570a749d897c" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "consumer_report_alerts" ADD CONSTRAINT "FK_17aa33a9929e459a24b0d107694" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "consumer_report_alerts" DROP CONSTRAINT "FK_17aa33a9929e459a24b0d107694"`);
    await queryRunner.query(`ALTER TABLE "consumer_report_alerts" DROP CONSTRAINT "FK_0ea12eb5607466e570a749d897c"`);
    await queryRunner.query(`ALTER TABLE "consumer_reports" DROP CONSTRAINT "FK_53f8fb2376e172ffe5bfa19a2f3"`);
    await queryRunner.query(`ALTER TABLE "consumer_reports" DROP CONSTRAINT "FK_3c31f9d06cb58fb03bcd8f582e1"`);
    await queryRunner.query(`ALTER TABLE "consumer_reports" DROP CONSTRAINT "FK_f341ddd73e2469b107320be6751"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6f538becc96ceb15b281898e34"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4ba58983cd4934c84020b7dbca"`);
    await queryRunner.query(`DROP TABLE "consumer_report_alerts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3d2b82521a602bbe946a16f34d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_044fbb8413c4b53b1222345fe6"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_46dbde281e8d3ea47e8825660a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ecbacc230e5878ebce179ec4fa"`);
    await queryRunner.query(`DROP INDEX "public"."ix_consumer_reports_retention"`);
    await queryRunner.query(`DROP TABLE "consumer_reports"`);
  }
}
