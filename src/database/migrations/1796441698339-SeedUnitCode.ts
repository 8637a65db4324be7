import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * A seed sown from a bag keeps the bag's 单元识别代码 (the seed bag QR's third line) on its farm
 * record, as a pesticide application keeps the bottle's label code.
 */

export class SeedUnitCode1796441698339 implements MigrationInterface {
  name = 'SeedUnitCode1796441698339';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "input_applications" ADD "seed_unit_code" character varying(20)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "input_applications" DROP COLUMN "seed_unit_code"`);
  }
}
