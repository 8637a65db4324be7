import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReceiptReferenceDocuments1796441798537 implements MigrationInterface {
  name = 'ReceiptReferenceDocuments1796441798537';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "shipments" ADD "receipt_reference_document" character varying(100)`);
    await queryRunner.query(`ALTER TABLE "shipments" ADD "receipt_reference_document_type" character varying(20)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "shipments" DROP COLUMN "receipt_reference_document_type"`);
    await queryRunner.query(`ALTER TABLE "shipments" DROP COLUMN "receipt_reference_document"`);
  }
}
