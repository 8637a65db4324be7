import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * EPCIS events are unique per recording organisation (issue 13: eventID squatting), and capture jobs
 * keep who captured (ownership checks and audit in the job). Existing events get their recorder
 * from what recorded them: the capture job, the shipment, the lot a receipt or transformation made,
 * the recall.
 */
export class EventsPerRecorder1795800000010 implements MigrationInterface {
  name = 'EventsPerRecorder1795800000010';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_1905ade171385f086c6e029b75"`);
    await queryRunner.query(`ALTER TABLE "capture_jobs" ADD "actor" jsonb`);
    await queryRunner.query(`ALTER TABLE "epcis_events" ADD "recorded_by" uuid`);
    await queryRunner.query(`UPDATE "epcis_events" e SET "recorded_by" = j."organization_id" FROM "capture_jobs" j WHERE e."capture_id" = j."id"`);
    await queryRunner.query(`UPDATE "epcis_events" e SET "recorded_by" = s."from_organization_id" FROM "shipments" s WHERE s."ship_event_id" = e."id"`);
    await queryRunner.query(`UPDATE "epcis_events" e SET "recorded_by" = b."organization_id" FROM "lot_links" l JOIN "batches" b ON b."id" = l."to_batch_id"
      WHERE l."event_id" = e."id" AND l."kind" IN ('shipment', 'transformation') AND e."source" = 'platform'`);
    await queryRunner.query(`UPDATE "epcis_events" e SET "recorded_by" = r."initiated_by_organization_id" FROM "recalls" r
      WHERE r."epcis_event_id" = e."event_id" AND e."source" = 'platform'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_epcis_events_event_unrecorded" ON "epcis_events"  ("event_id") WHERE "recorded_by" IS NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_epcis_events_event_recorder" ON "epcis_events"  ("event_id", "recorded_by") `);
    await queryRunner.query(`ALTER TABLE "epcis_events" ADD CONSTRAINT "FK_38ae45efaaa47fc26d6704002ab" FOREIGN KEY ("recorded_by") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  /** Fails while two organisations hold events with one eventID (the old index allowed only one). */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "epcis_events" DROP CONSTRAINT "FK_38ae45efaaa47fc26d6704002ab"`);
    await queryRunner.query(`DROP INDEX "public"."ux_epcis_events_event_recorder"`);
    await queryRunner.query(`DROP INDEX "public"."ux_epcis_events_event_unrecorded"`);
    await queryRunner.query(`ALTER TABLE "epcis_events" DROP COLUMN "recorded_by"`);
    await queryRunner.query(`ALTER TABLE "capture_jobs" DROP COLUMN "actor"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_1905ade171385f086c6e029b75" ON "epcis_events" USING btree ("event_id") `);
  }
}
