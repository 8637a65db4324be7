import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Inspections (issue 19): checklist versions as data (the starter sheet seeded as version 1 of
 * `planting`, unverified), inspections, findings with deadlines, and the indicator
 * inspection_coverage as a stock: organisations in scope (every kind but labs and regulators) in
 * the denominator from the month they registered; in the numerator an organisation counts from the
 * month of its first inspection of a year to the end of that year (+1 then, -1 on 1 January next),
 * so the figure at the end of any period is "inspected this year so far / organisations".
 * A published checklist version is immutable here too: a trigger refuses updating or deleting one.
 */
/**
 * The starter sheet (DOMAIN.md §11: the items of Chengdu's 种植业 sheet, paraphrased from a
 * secondary description, not the official form): seeded as version 1 of `planting`, unverified.
 */
const STARTER_CHECKLIST = {
  code: 'planting',
  name: '种植业生产主体巡查检查表',
  source: 'DOMAIN.md §11 — 成都市种植业巡查检查表 items as described there (paraphrased; not checked against the official sheet)',
  verified: false,
  items: [
    { key: 'production_records', text: '建立并保存农产品生产记录（保存 2 年以上）' },
    { key: 'banned_pesticides', text: '未使用禁用、限用农药' },
    { key: 'pre_harvest_interval', text: '遵守农药安全间隔期' },
    { key: 'input_use_records', text: '农药、化肥使用记录完整' },
    { key: 'labelling', text: '包装或标签标注符合规定（含承诺达标合格证）' },
    { key: 'packaging_waste', text: '农药包装废弃物回收处置' },
    { key: 'gi_use', text: '地理标志使用规范、生产面积相符' },
    { key: 'quality_marks', text: '绿色食品、有机产品标志使用规范' },
    { key: 'sampling', text: '按要求抽样送检或自检' },
  ],
};

const COLUMNS = 'indicator, detail, organization_id, region_code, category_path, month, numerator, denominator';
const INSPECTED = "('cooperative', 'enterprise', 'family_farm', 'individual', 'purchaser', 'market')";

function insertDeltas(facts: string): string {
  return `INSERT INTO indicator_deltas (${COLUMNS})
    SELECT indicator, detail, organization_id, region_code, category_path, month, sum(numerator), sum(denominator)
    FROM (${facts}) f (${COLUMNS}) GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(numerator) <> 0 OR sum(denominator) <> 0`;
}

function organizationFacts(rows: string, sign: string): string {
  return `SELECT 'inspection_coverage', '', o.id, o.region_code, '', indicator_month(o.created_at), 0, ${sign} FROM ${rows} o WHERE o.kind IN ${INSPECTED}`;
}

function markFacts(rows: string, sign: string): string {
  return `SELECT 'inspection_coverage', '', k.organization_id, k.region_code, '', k.month, ${sign}, 0 FROM ${rows} k
    UNION ALL SELECT 'inspection_coverage', '', k.organization_id, k.region_code, '', make_date(k.year + 1, 1, 1), -(${sign}), 0 FROM ${rows} k`;
}

function captureFunction(name: string, facts: (rows: string, sign: string) => string): string {
  return `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      ${insertDeltas(facts('new_rows', '1'))};
    ELSIF TG_OP = 'UPDATE' THEN
      ${insertDeltas(`${facts('new_rows', '1')} UNION ALL ${facts('old_rows', '-1')}`)};
    ELSE
      ${insertDeltas(facts('old_rows', '-1'))};
    END IF;
    RETURN NULL;
  END
  $fn$`;
}

function triggers(table: string, fn: string, prefix: string, updateOf = ''): string[] {
  return [
    `CREATE TRIGGER ${prefix}_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    `CREATE TRIGGER ${prefix}_update AFTER UPDATE${updateOf} ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    `CREATE TRIGGER ${prefix}_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
  ];
}

const IMMUTABLE_FUNCTION = `CREATE OR REPLACE FUNCTION inspection_template_immutable() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF OLD.status = 'published' THEN
      RAISE EXCEPTION 'inspection template % version % is published and immutable', OLD.code, OLD.version USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END
  $fn$`;

const EXTRAS = [
  captureFunction('indicator_inspection_marks', markFacts),
  captureFunction('indicator_inspection_organizations', organizationFacts),
  ...triggers('inspection_coverage_marks', 'indicator_inspection_marks', 'indicator_inspection_marks'),
  // Transition tables cannot go with a column list; the function's facts cancel out for other columns.
  ...triggers('organizations', 'indicator_inspection_organizations', 'indicator_inspection_organizations'),
  IMMUTABLE_FUNCTION,
  'CREATE TRIGGER inspection_template_immutable BEFORE UPDATE OR DELETE ON inspection_templates FOR EACH ROW EXECUTE FUNCTION inspection_template_immutable()',
];

export class Inspections1796429937270 implements MigrationInterface {
  name = 'Inspections1796429937270';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "inspection_templates" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(40) NOT NULL, "version" integer NOT NULL, "name" character varying(100) NOT NULL, "items" jsonb NOT NULL, "source" character varying(300) NOT NULL, "verified" boolean NOT NULL DEFAULT false, "status" character varying(10) NOT NULL, "created_by_organization_id" uuid, "published_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_inspection_templates_code_version" UNIQUE ("code", "version"), CONSTRAINT "PK_210f713c374961d8839df96e372" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "inspections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "site_id" uuid, "region_code" character(6) NOT NULL, "template_id" uuid NOT NULL, "inspected_on" date NOT NULL, "inspectors" character varying(40) array NOT NULL, "inspector_organization_id" uuid NOT NULL, "item_results" jsonb NOT NULL, "note" character varying(1000) NOT NULL DEFAULT '', "photos" jsonb NOT NULL DEFAULT '[]', "reinspection_of" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a484980015782324454d8c88abe" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_ff63a670841c5e5f1831003c52" ON "inspections"  ("organization_id", "inspected_on") `);
    await queryRunner.query(`CREATE INDEX "IDX_ce97133ea2ebfaa07ce5b38779" ON "inspections"  ("region_code", "inspected_on") `);
    await queryRunner.query(`CREATE TABLE "inspection_findings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "inspection_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "item_key" character varying(40), "description" character varying(500) NOT NULL, "severity" character varying(10) NOT NULL, "deadline" date NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'open', "closed_by_inspection_id" uuid, "closed_on" date, "overdue_alerted_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_63fe631f46d1fa964286f0eed79" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_c5f1afea5b9be0480c56d86924" ON "inspection_findings"  ("inspection_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_dd2bff80c637040b4feae99105" ON "inspection_findings"  ("status", "deadline") `);
    await queryRunner.query(`CREATE INDEX "IDX_c571a25d803976f8988db4a3a2" ON "inspection_findings"  ("organization_id", "status") `);
    await queryRunner.query(`CREATE TABLE "inspection_coverage_marks" ("organization_id" uuid NOT NULL, "year" integer NOT NULL, "region_code" character(6) NOT NULL, "month" date NOT NULL, CONSTRAINT "PK_b5e90c699fa0a800c647b92e958" PRIMARY KEY ("organization_id", "year"))`);
    await queryRunner.query(`ALTER TABLE "inspection_templates" ADD CONSTRAINT "FK_d633598c8500c2795427a01d10e" FOREIGN KEY ("created_by_organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "inspections" ADD CONSTRAINT "FK_933fe8019e2f954d910bf5c5122" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "inspections" ADD CONSTRAINT "FK_9492c1a537456b45cd44202a983" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "inspections" ADD CONSTRAINT "FK_5f65d7193b3063c3eb3b2c7bd9d" FOREIGN KEY ("template_id") REFERENCES "inspection_templates"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "inspections" ADD CONSTRAINT "FK_8429a40328e7f88e576923c5b37" FOREIGN KEY ("inspector_organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "inspections" ADD CONSTRAINT "FK_489603f00886e15aa5e5b186acd" FOREIGN KEY ("reinspection_of") REFERENCES "inspections"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "inspection_findings" ADD CONSTRAINT "FK_c5f1afea5b9be0480c56d869240" FOREIGN KEY ("inspection_id") REFERENCES "inspections"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "inspection_findings" ADD CONSTRAINT "FK_5b5090af0f77c39abfd34db7132" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "inspection_findings" ADD CONSTRAINT "FK_a882c37b7c20a41cf9a1ab0ea8c" FOREIGN KEY ("closed_by_inspection_id") REFERENCES "inspections"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query('LOCK TABLE organizations IN SHARE MODE');
    for (const sql of EXTRAS) await queryRunner.query(sql);
    // Organisations registered before this migration: the denominator.
    await queryRunner.query(insertDeltas(organizationFacts('organizations', '1')));
    await queryRunner.query(
      `INSERT INTO inspection_templates (code, version, name, items, source, verified, status, published_at) VALUES ($1, 1, $2, $3, $4, $5, 'published', now())`,
      [STARTER_CHECKLIST.code, STARTER_CHECKLIST.name, JSON.stringify(STARTER_CHECKLIST.items), STARTER_CHECKLIST.source, STARTER_CHECKLIST.verified],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete']) {
      await queryRunner.query(`DROP TRIGGER indicator_inspection_marks_${op} ON inspection_coverage_marks`);
      await queryRunner.query(`DROP TRIGGER indicator_inspection_organizations_${op} ON organizations`);
    }
    await queryRunner.query('DROP TRIGGER inspection_template_immutable ON inspection_templates');
    await queryRunner.query('DROP FUNCTION indicator_inspection_marks()');
    await queryRunner.query('DROP FUNCTION indicator_inspection_organizations()');
    await queryRunner.query('DROP FUNCTION inspection_template_immutable()');
    for (const table of ['indicator_deltas', 'indicator_cells', 'indicator_org_months', 'indicator_rollup']) await queryRunner.query(`DELETE FROM ${table} WHERE indicator = 'inspection_coverage'`);
    await queryRunner.query(`ALTER TABLE "inspection_findings" DROP CONSTRAINT "FK_a882c37b7c20a41cf9a1ab0ea8c"`);
    await queryRunner.query(`ALTER TABLE "inspection_findings" DROP CONSTRAINT "FK_5b5090af0f77c39abfd34db7132"`);
    await queryRunner.query(`ALTER TABLE "inspection_findings" DROP CONSTRAINT "FK_c5f1afea5b9be0480c56d869240"`);
    await queryRunner.query(`ALTER TABLE "inspections" DROP CONSTRAINT "FK_489603f00886e15aa5e5b186acd"`);
    await queryRunner.query(`ALTER TABLE "inspections" DROP CONSTRAINT "FK_8429a40328e7f88e576923c5b37"`);
    await queryRunner.query(`ALTER TABLE "inspections" DROP CONSTRAINT "FK_5f65d7193b3063c3eb3b2c7bd9d"`);
    await queryRunner.query(`ALTER TABLE "inspections" DROP CONSTRAINT "FK_9492c1a537456b45cd44202a983"`);
    await queryRunner.query(`ALTER TABLE "inspections" DROP CONSTRAINT "FK_933fe8019e2f954d910bf5c5122"`);
    await queryRunner.query(`ALTER TABLE "inspection_templates" DROP CONSTRAINT "FK_d633598c8500c2795427a01d10e"`);
    await queryRunner.query(`DROP TABLE "inspection_coverage_marks"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c571a25d803976f8988db4a3a2"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_dd2bff80c637040b4feae99105"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c5f1afea5b9be0480c56d86924"`);
    await queryRunner.query(`DROP TABLE "inspection_findings"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ce97133ea2ebfaa07ce5b38779"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ff63a670841c5e5f1831003c52"`);
    await queryRunner.query(`DROP TABLE "inspections"`);
    await queryRunner.query(`DROP TABLE "inspection_templates"`);
  }
}
