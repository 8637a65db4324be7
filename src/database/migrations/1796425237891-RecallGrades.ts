import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Recall grades, deadlines and close-out (issue 19), and the holiday calendar they count working
 * days with. The 2026 rows are the State Council's schedule as announced; they are marked
 * unverified because they were entered without the notice at hand: a regulator checks them against
 * the source and sets verified (deadlines say whether the calendar behind them was verified).
 */
const SOURCE_2026 = '国务院办公厅关于2026年部分节假日安排的通知';

/** [first day, days, name] of each holiday period, and the weekend days worked instead. */
const HOLIDAYS_2026: [string, number, string][] = [
  ['2026-01-01', 3, '元旦'], ['2026-02-15', 9, '春节'], ['2026-04-04', 3, '清明节'], ['2026-05-01', 5, '劳动节'],
  ['2026-06-19', 3, '端午节'], ['2026-09-25', 3, '中秋节'], ['2026-10-01', 7, '国庆节'],
];
const WORKDAYS_2026: [string, string][] = [
  ['2026-01-04', '元旦调休上班'], ['2026-02-14', '春节调休上班'], ['2026-02-28', '春节调休上班'], ['2026-05-09', '劳动节调休上班'],
  ['2026-09-20', '国庆节调休上班'], ['2026-10-10', '国庆节调休上班'],
];

export class RecallGrades1796425237891 implements MigrationInterface {
  name = 'RecallGrades1796425237891';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "recall_confirmations" ("recall_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "unit" character varying(4) NOT NULL, "recovered" numeric(15,3) NOT NULL, "disposed" numeric(15,3) NOT NULL, "sold_through" numeric(15,3) NOT NULL, "note" character varying(500) NOT NULL DEFAULT '', "confirmed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6fff43a06b0574ba7a6ad9d3230" PRIMARY KEY ("recall_id", "organization_id"))`);
    await queryRunner.query(`CREATE TABLE "working_calendar_days" ("day" date NOT NULL, "kind" character varying(8) NOT NULL, "name" character varying(40) NOT NULL, "source" text NOT NULL, "verified" boolean NOT NULL, CONSTRAINT "PK_8c7475938f6104cdf517772e91f" PRIMARY KEY ("day"))`);
    await queryRunner.query(`ALTER TABLE "recalls" ADD "grade" smallint`);
    await queryRunner.query(`ALTER TABLE "recalls" ADD "discovered_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "recalls" ADD "start_by" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "recalls" ADD "finish_by" date`);
    await queryRunner.query(`ALTER TABLE "recalls" ADD "calendar_verified" boolean`);
    await queryRunner.query(`ALTER TABLE "recalls" ADD "closed_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "recalls" ADD "overdue_alerted_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "ix_recalls_overdue" ON "recalls"  ("finish_by") WHERE closed_at IS NULL AND overdue_alerted_at IS NULL`);
    await queryRunner.query(`ALTER TABLE "recall_confirmations" ADD CONSTRAINT "FK_f33115de341349f20cb9d6477dc" FOREIGN KEY ("recall_id") REFERENCES "recalls"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "recall_confirmations" ADD CONSTRAINT "FK_4a14c8ff2e5021760d6d5e7b03a" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    for (const [first, days, name] of HOLIDAYS_2026) {
      await queryRunner.query(`INSERT INTO working_calendar_days (day, kind, name, source, verified)
        SELECT d::date, 'holiday', $3, $4, false FROM generate_series($1::date, $1::date + ($2::int - 1), interval '1 day') d`, [first, days, name, SOURCE_2026]);
    }
    for (const [day, name] of WORKDAYS_2026) {
      await queryRunner.query(`INSERT INTO working_calendar_days (day, kind, name, source, verified) VALUES ($1, 'workday', $2, $3, false)`, [day, name, SOURCE_2026]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "recall_confirmations" DROP CONSTRAINT "FK_4a14c8ff2e5021760d6d5e7b03a"`);
    await queryRunner.query(`ALTER TABLE "recall_confirmations" DROP CONSTRAINT "FK_f33115de341349f20cb9d6477dc"`);
    await queryRunner.query(`DROP INDEX "public"."ix_recalls_overdue"`);
    await queryRunner.query(`ALTER TABLE "recalls" DROP COLUMN "overdue_alerted_at"`);
    await queryRunner.query(`ALTER TABLE "recalls" DROP COLUMN "closed_at"`);
    await queryRunner.query(`ALTER TABLE "recalls" DROP COLUMN "calendar_verified"`);
    await queryRunner.query(`ALTER TABLE "recalls" DROP COLUMN "finish_by"`);
    await queryRunner.query(`ALTER TABLE "recalls" DROP COLUMN "start_by"`);
    await queryRunner.query(`ALTER TABLE "recalls" DROP COLUMN "discovered_at"`);
    await queryRunner.query(`ALTER TABLE "recalls" DROP COLUMN "grade"`);
    await queryRunner.query(`DROP TABLE "working_calendar_days"`);
    await queryRunner.query(`DROP TABLE "recall_confirmations"`);
  }
}
