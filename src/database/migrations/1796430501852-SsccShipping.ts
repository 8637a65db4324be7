import { MigrationInterface, QueryRunner } from 'typeorm';

export class SsccShipping1796430501852 implements MigrationInterface {
  name = 'SsccShipping1796430501852';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "sscc_contents" ("sscc" character(18) NOT NULL, "batch_id" uuid NOT NULL, "quantity_value" numeric(15,3) NOT NULL, "quantity_unit" character varying(4) NOT NULL, "packed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "PK_4d8ebf4231f94ba3300a2eb17d6" PRIMARY KEY ("sscc", "batch_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_sscc_contents_batch" ON "sscc_contents"  ("batch_id") `);
    await queryRunner.query(`ALTER TABLE "ssccs" ADD "status" character varying(10) NOT NULL DEFAULT 'open'`);
    await queryRunner.query(`ALTER TABLE "ssccs" ADD "shipped_to" uuid`);
    await queryRunner.query(`ALTER TABLE "ssccs" ADD "shipped_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "ssccs" ADD "received_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "shipments" ADD "reference_document_type" character varying(20)`);
    await queryRunner.query(`ALTER TABLE "shipments" ADD "sscc" character(18)`);
    await queryRunner.query(`ALTER TABLE "shipments" ADD "receive_event_id" uuid`);
    await queryRunner.query(`CREATE INDEX "ix_shipments_sscc" ON "shipments"  ("sscc") WHERE sscc IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "ssccs" ADD CONSTRAINT "FK_1b55209006ab4f30437e0e5b34b" FOREIGN KEY ("shipped_to") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sscc_contents" ADD CONSTRAINT "FK_756235b61ba69a23e835016671e" FOREIGN KEY ("sscc") REFERENCES "ssccs"("sscc") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sscc_contents" ADD CONSTRAINT "FK_02f0ce1dff03d820afd5c4516a5" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "shipments" ADD CONSTRAINT "FK_b8b3ce159e3b91753ed165bb9d9" FOREIGN KEY ("receive_event_id") REFERENCES "epcis_events"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "shipments" DROP CONSTRAINT "FK_b8b3ce159e3b91753ed165bb9d9"`);
    await queryRunner.query(`ALTER TABLE "sscc_contents" DROP CONSTRAINT "FK_02f0ce1dff03d820afd5c4516a5"`);
    await queryRunner.query(`ALTER TABLE "sscc_contents" DROP CONSTRAINT "FK_756235b61ba69a23e835016671e"`);
    await queryRunner.query(`ALTER TABLE "ssccs" DROP CONSTRAINT "FK_1b55209006ab4f30437e0e5b34b"`);
    await queryRunner.query(`DROP INDEX "public"."ix_shipments_sscc"`);
    await queryRunner.query(`ALTER TABLE "shipments" DROP COLUMN "receive_event_id"`);
    await queryRunner.query(`ALTER TABLE "shipments" DROP COLUMN "sscc"`);
    await queryRunner.query(`ALTER TABLE "shipments" DROP COLUMN "reference_document_type"`);
    await queryRunner.query(`ALTER TABLE "ssccs" DROP COLUMN "received_at"`);
    await queryRunner.query(`ALTER TABLE "ssccs" DROP COLUMN "shipped_at"`);
    await queryRunner.query(`ALTER TABLE "ssccs" DROP COLUMN "shipped_to"`);
    await queryRunner.query(`ALTER TABLE "ssccs" DROP COLUMN "status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sscc_contents_batch"`);
    await queryRunner.query(`DROP TABLE "sscc_contents"`);
  }
}
