import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * indicator_certificate_required() in PL/pgSQL: the indicator triggers call it for every batch and
 * certificate written, and as a SQL function with a sub-SELECT (never inlined) its query was planned
 * again on every call — 0.06 ms of PostgreSQL per certificate issued, three times its execution
 * (issue 21, pg_stat_statements). PL/pgSQL keeps the plan for the session. Same answer: the flag
 * of the category, false for a category not in the table.
 */
export class CertificateRequiredPlpgsql1796443000000 implements MigrationInterface {
  name = 'CertificateRequiredPlpgsql1796443000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION indicator_certificate_required(path text) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
      BEGIN
        RETURN coalesce((SELECT c.certificate_required FROM food_categories c WHERE c.path = indicator_certificate_required.path), false);
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION indicator_certificate_required(path text) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT coalesce((SELECT certificate_required FROM food_categories WHERE food_categories.path = indicator_certificate_required.path), false) $$`);
  }
}
