import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The categories that need a 承诺达标合格证 become data a regulator may change (issue 14): one row per
 * category subtree, with the rule's source and a `verified` flag. `food_categories.certificate_required`
 * is derived from these rows (the categories service refreshes it), and the indicator triggers read
 * that column instead of a list written into a SQL function.
 *
 * The rule's third item is 茶鲜叶 (fresh tea leaves), not GB 2763's dried 饮料类>茶叶: processed tea
 * made under a food licence needs no certificate. Existing tea batches therefore leave the
 * certificate-rate denominator: the refresh below writes their facts out as negative deltas.
 */
const SOURCE = '《农产品质量安全承诺达标合格证管理办法》（农业农村部令2025年第4号）：蔬菜（含人工种植的食用菌）、水果、茶鲜叶、畜禽、禽蛋、养殖水产品';

const RULES: [path: string, note: string][] = [
  ['蔬菜', '含人工种植的食用菌（树中位于 蔬菜>食用菌）'],
  ['水果', ''],
  ['饮料类>茶鲜叶', '茶鲜叶；加工茶叶（饮料类>茶叶）不在范围内'],
  ['肉类', '畜禽（树中以 肉类 表示）'],
  ['禽蛋', ''],
  ['水产品', '养殖水产品（树中不区分养殖与捕捞）'],
];

/** A snapshot of CertificateScopeService's refresh: a migration stays as it ran, whatever the code becomes. */
const REFRESH_CERTIFICATE_FLAGS = `
WITH wanted AS (
  SELECT f.path, EXISTS (SELECT 1 FROM certificate_scope_rules r WHERE f.path = r.category_path OR f.path LIKE r.category_path || '>%') AS required
  FROM food_categories f
), flipped AS (
  UPDATE food_categories f SET certificate_required = w.required
  FROM wanted w WHERE w.path = f.path AND f.certificate_required <> w.required
  RETURNING f.path, f.certificate_required AS required
)
INSERT INTO indicator_deltas (indicator, detail, organization_id, region_code, category_path, month, numerator, denominator)
SELECT 'certificate_issuance', '', b.organization_id, b.region_code, p.category_path, indicator_month(b.produced_on),
  sum(s.sign * (EXISTS (SELECT 1 FROM certificates x WHERE x.batch_id = b.id AND x.status = 'valid'))::int), sum(s.sign)
FROM flipped fl
CROSS JOIN LATERAL (SELECT CASE WHEN fl.required THEN 1 ELSE -1 END AS sign) s
JOIN products p ON p.category_path = fl.path
JOIN batches b ON b.product_id = p.id
JOIN organizations o ON o.id = b.organization_id
WHERE o.kind <> 'individual'
GROUP BY 1, 2, 3, 4, 5, 6`;

export class CertificateScopeRules1795790000000 implements MigrationInterface {
  name = 'CertificateScopeRules1795790000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "certificate_scope_rules" ("category_path" character varying(200) NOT NULL, "source" text NOT NULL, "verified" boolean NOT NULL, "note" text NOT NULL DEFAULT '', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_certificate_scope_rules" PRIMARY KEY ("category_path"))`);
    for (const [path, note] of RULES) {
      await queryRunner.query('INSERT INTO certificate_scope_rules (category_path, source, verified, note) VALUES ($1, $2, true, $3)', [path, SOURCE, note]);
    }
    // Writers of batches, certificates and products read the flags in their triggers: none may run
    // between the flip and the deltas that account for it.
    await queryRunner.query('LOCK TABLE batches, certificates, products IN SHARE MODE');
    await queryRunner.query(`CREATE OR REPLACE FUNCTION indicator_certificate_required(path text) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT coalesce((SELECT certificate_required FROM food_categories WHERE food_categories.path = indicator_certificate_required.path), false) $$`);
    await queryRunner.query(REFRESH_CERTIFICATE_FLAGS);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('LOCK TABLE batches, certificates, products IN SHARE MODE');
    await queryRunner.query(`CREATE OR REPLACE FUNCTION indicator_certificate_required(path text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
     SELECT path = ANY (ARRAY['蔬菜', '水果', '饮料类>茶叶', '肉类', '禽蛋', '水产品'])
         OR path LIKE ANY (ARRAY['蔬菜>%', '水果>%', '饮料类>茶叶>%', '肉类>%', '禽蛋>%', '水产品>%']) $$`);
    await queryRunner.query('DELETE FROM certificate_scope_rules');
    for (const root of ['蔬菜', '水果', '饮料类>茶叶', '肉类', '禽蛋', '水产品']) {
      await queryRunner.query('INSERT INTO certificate_scope_rules (category_path, source, verified) VALUES ($1, $2, false)', [root, 'before 1795790000000']);
    }
    await queryRunner.query(REFRESH_CERTIFICATE_FLAGS);
    await queryRunner.query(`DROP TABLE "certificate_scope_rules"`);
  }
}
