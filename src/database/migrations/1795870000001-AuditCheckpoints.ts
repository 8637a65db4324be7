import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditCheckpoints1795870000001 implements MigrationInterface {
  name = 'AuditCheckpoints1795870000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_checkpoints" ("seq" bigint NOT NULL, "hash" character(64) NOT NULL, "at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "key_id" character(16) NOT NULL, "signature" character varying(100) NOT NULL, CONSTRAINT "PK_00d27c519361818fba5bb6602de" PRIMARY KEY ("seq"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_checkpoints"`);
  }
}
