import { MigrationInterface, QueryRunner } from 'typeorm';

export class RecheckRefusal1796441127663 implements MigrationInterface {
  name = 'RecheckRefusal1796441127663';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "samples" ADD "refused_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "samples" ADD "refusal_reason" character varying(300)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "samples" DROP COLUMN "refusal_reason"`);
    await queryRunner.query(`ALTER TABLE "samples" DROP COLUMN "refused_at"`);
  }
}
