import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Risk grades (issue 19): the grading rules per product group as data, seeded with the platform's
 * defaults — not Sichuan's 14 per-product rules, which the platform does not have: marked
 * unverified, to be replaced by the province's — and the organisations' grades per period. The
 * indicator high_risk_organizations counts published grades in the first month of their period
 * (high ones in the numerator, every graded organisation in the denominator).
 */
const SOURCE = 'Platform default (issue 19), not an official rule: replace with the province\'s grading rules per product';
/** product group, weights (failed sample, batch without certificate, PHI violation, open finding, overdue finding, refusal), high at, medium at, draw weights high/medium/low. */
const RULES: [string, number[], number, number, number[]][] = [
  ['', [40, 2, 30, 5, 15, 10], 40, 10, [4, 2, 1]],
  // Vegetables and tea: residues and pre-harvest intervals weigh more (DOMAIN.md §8).
  ['蔬菜', [40, 2, 40, 5, 15, 10], 40, 10, [4, 2, 1]],
  ['饮料类>茶叶', [40, 2, 40, 5, 15, 10], 40, 10, [4, 2, 1]],
];

const COLUMNS = 'indicator, detail, organization_id, region_code, category_path, month, numerator, denominator';

function gradeFacts(rows: string, sign: string): string {
  return `SELECT 'high_risk_organizations', '', g.organization_id, g.region_code, '', indicator_month(g.period_from), ${sign} * (g.grade = 'high')::int, ${sign}
    FROM ${rows} g WHERE g.status = 'published'`;
}

function insertDeltas(facts: string): string {
  return `INSERT INTO indicator_deltas (${COLUMNS})
    SELECT indicator, detail, organization_id, region_code, category_path, month, sum(numerator), sum(denominator)
    FROM (${facts}) f (${COLUMNS}) GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(numerator) <> 0 OR sum(denominator) <> 0`;
}

const GRADES_FUNCTION = `CREATE OR REPLACE FUNCTION indicator_risk_grades() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      ${insertDeltas(gradeFacts('new_rows', '1'))};
    ELSIF TG_OP = 'UPDATE' THEN
      ${insertDeltas(`${gradeFacts('new_rows', '1')} UNION ALL ${gradeFacts('old_rows', '-1')}`)};
    ELSE
      ${insertDeltas(gradeFacts('old_rows', '-1'))};
    END IF;
    RETURN NULL;
  END
  $fn$`;

const TRIGGERS = [
  'CREATE TRIGGER indicator_risk_grades_insert AFTER INSERT ON risk_grades REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_risk_grades()',
  'CREATE TRIGGER indicator_risk_grades_update AFTER UPDATE ON risk_grades REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_risk_grades()',
  'CREATE TRIGGER indicator_risk_grades_delete AFTER DELETE ON risk_grades REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_risk_grades()',
];

export class RiskGrades1796431632746 implements MigrationInterface {
  name = 'RiskGrades1796431632746';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "risk_grade_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "product_group" character varying(300) NOT NULL, "weight_failed_samples" numeric(8,2) NOT NULL, "weight_certificate_gaps" numeric(8,2) NOT NULL, "weight_phi_violations" numeric(8,2) NOT NULL, "weight_open_findings" numeric(8,2) NOT NULL, "weight_overdue_findings" numeric(8,2) NOT NULL, "weight_refusals" numeric(8,2) NOT NULL, "high_at" numeric(8,2) NOT NULL, "medium_at" numeric(8,2) NOT NULL, "draw_weight_high" numeric(6,2) NOT NULL, "draw_weight_medium" numeric(6,2) NOT NULL, "draw_weight_low" numeric(6,2) NOT NULL, "source" character varying(300) NOT NULL, "verified" boolean NOT NULL DEFAULT false, CONSTRAINT "uq_risk_grade_rules_group" UNIQUE ("product_group"), CONSTRAINT "PK_e81fb4a330eac579966c92818b7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "risk_grades" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "period_key" character varying(7) NOT NULL, "period_from" date NOT NULL, "period_to" date NOT NULL, "category" character varying(300) NOT NULL DEFAULT '', "rule_id" uuid NOT NULL, "evidence" jsonb NOT NULL, "score" numeric(10,2) NOT NULL, "computed_grade" character varying(6) NOT NULL, "grade" character varying(6) NOT NULL, "override_reason" character varying(500), "reviewed_by" character varying(80), "draw_weight" numeric(6,2) NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'draft', "published_at" TIMESTAMP(3) WITH TIME ZONE, "computed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_risk_grades_org_period" UNIQUE ("organization_id", "period_key"), CONSTRAINT "PK_853d7cddbf67361bd934f0507e7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_4278d81e6d66ad96bdbd571a44" ON "risk_grades"  ("organization_id", "status", "period_from") `);
    await queryRunner.query(`CREATE INDEX "IDX_42f7c29801065a53a21296c7fc" ON "risk_grades"  ("period_key", "region_code") `);
    await queryRunner.query(`ALTER TABLE "risk_grades" ADD CONSTRAINT "FK_41e2a1349ef3e41a64bebe63504" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "risk_grades" ADD CONSTRAINT "FK_72ab3935a394e8f460fa33a3c67" FOREIGN KEY ("rule_id") REFERENCES "risk_grade_rules"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    for (const sql of [GRADES_FUNCTION, ...TRIGGERS]) await queryRunner.query(sql);
    for (const [group, [failed, gaps, phi, open, overdue, refusals], highAt, mediumAt, [high, medium, low]] of RULES) {
      await queryRunner.query(
        `INSERT INTO risk_grade_rules (product_group, weight_failed_samples, weight_certificate_gaps, weight_phi_violations, weight_open_findings,
           weight_overdue_findings, weight_refusals, high_at, medium_at, draw_weight_high, draw_weight_medium, draw_weight_low, source, verified)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, false)`,
        [group, failed, gaps, phi, open, overdue, refusals, highAt, mediumAt, high, medium, low, SOURCE],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER indicator_risk_grades_${op} ON risk_grades`);
    await queryRunner.query('DROP FUNCTION indicator_risk_grades()');
    for (const table of ['indicator_deltas', 'indicator_cells', 'indicator_org_months', 'indicator_rollup']) await queryRunner.query(`DELETE FROM ${table} WHERE indicator = 'high_risk_organizations'`);
    await queryRunner.query(`ALTER TABLE "risk_grades" DROP CONSTRAINT "FK_72ab3935a394e8f460fa33a3c67"`);
    await queryRunner.query(`ALTER TABLE "risk_grades" DROP CONSTRAINT "FK_41e2a1349ef3e41a64bebe63504"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_42f7c29801065a53a21296c7fc"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4278d81e6d66ad96bdbd571a44"`);
    await queryRunner.query(`DROP TABLE "risk_grades"`);
    await queryRunner.query(`DROP TABLE "risk_grade_rules"`);
  }
}
