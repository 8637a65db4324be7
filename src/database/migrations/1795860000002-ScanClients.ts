import { MigrationInterface, QueryRunner } from 'typeorm';

export class ScanClients1795860000002 implements MigrationInterface {
  name = 'ScanClients1795860000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "scan_clients" ("code" character varying(13) NOT NULL, "client" bigint NOT NULL, "network" bigint NOT NULL, "first_seen" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "last_seen" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "PK_8b3054e5a9392fc7e703fa9edb7" PRIMARY KEY ("code", "client"))`);
    await queryRunner.query(`ALTER TABLE "trace_codes" ADD "client_count" integer NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "trace_codes" DROP COLUMN "client_count"`);
    await queryRunner.query(`DROP TABLE "scan_clients"`);
  }
}
