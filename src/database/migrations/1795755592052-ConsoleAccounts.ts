import { MigrationInterface, QueryRunner } from 'typeorm';

export class ConsoleAccounts1795755592052 implements MigrationInterface {
  name = 'ConsoleAccounts1795755592052';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "console_sessions" ("id_hash" character(64) NOT NULL, "user_id" uuid NOT NULL, "csrf_token" character varying(64) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "absolute_expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "PK_916f2095a1ec3f58318a2039e1d" PRIMARY KEY ("id_hash"))`);
    await queryRunner.query(`CREATE INDEX "IDX_7cc109beca9adc3cbc175773b1" ON "console_sessions"  ("user_id") `);
    await queryRunner.query(`CREATE TABLE "console_submissions" ("user_id" uuid NOT NULL, "form_key" character varying(64) NOT NULL, "result_path" character varying(300), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f23720b2867a1ee37783349e11d" PRIMARY KEY ("user_id", "form_key"))`);
    await queryRunner.query(`CREATE TABLE "console_users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "login_name" character varying(60) NOT NULL, "display_name" character varying(60) NOT NULL, "role" character varying(20) NOT NULL, "password_hash" character varying(200), "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP(3) WITH TIME ZONE, "invite_hash" character(64), "invite_expires_at" TIMESTAMP(3) WITH TIME ZONE, "invited_by" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6db5892da838642589e75991746" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_8abf1a3f3db6cdfaf274fe0832" ON "console_users"  ("organization_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_2b2d8f34111ef110413a13f4cb" ON "console_users"  ("login_name") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_378a52690c74c815edaa05f8cd" ON "console_users"  ("invite_hash") WHERE invite_hash IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "console_sessions" ADD CONSTRAINT "FK_7cc109beca9adc3cbc175773b1e" FOREIGN KEY ("user_id") REFERENCES "console_users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "console_submissions" ADD CONSTRAINT "FK_052dd678bbb02ad5efbfcf0c997" FOREIGN KEY ("user_id") REFERENCES "console_users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "console_users" ADD CONSTRAINT "FK_8abf1a3f3db6cdfaf274fe08328" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "console_users" DROP CONSTRAINT "FK_8abf1a3f3db6cdfaf274fe08328"`);
    await queryRunner.query(`ALTER TABLE "console_submissions" DROP CONSTRAINT "FK_052dd678bbb02ad5efbfcf0c997"`);
    await queryRunner.query(`ALTER TABLE "console_sessions" DROP CONSTRAINT "FK_7cc109beca9adc3cbc175773b1e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_378a52690c74c815edaa05f8cd"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2b2d8f34111ef110413a13f4cb"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8abf1a3f3db6cdfaf274fe0832"`);
    await queryRunner.query(`DROP TABLE "console_users"`);
    await queryRunner.query(`DROP TABLE "console_submissions"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7cc109beca9adc3cbc175773b1"`);
    await queryRunner.query(`DROP TABLE "console_sessions"`);
  }
}
