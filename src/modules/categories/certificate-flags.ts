import type { EntityManager } from 'typeorm';

/**
 * Recomputes `food_categories.certificate_required` from the rules and, for every category whose flag
 * flips, moves its batches into (or out of) the certificate-rate denominator and the farm-record
 * coverage denominator (input_record_coverage counts the same batches) with indicator deltas — the
 * same facts the batch triggers write, signed by the direction of the flip.
 */
const REFRESH_FLAGS_SQL = `
WITH wanted AS (
  SELECT f.path, EXISTS (SELECT 1 FROM certificate_scope_rules r WHERE f.path = r.category_path OR f.path LIKE r.category_path || '>%') AS required
  FROM food_categories f
), flipped AS (
  UPDATE food_categories f SET certificate_required = w.required
  FROM wanted w WHERE w.path = f.path AND f.certificate_required <> w.required
  RETURNING f.path, f.certificate_required AS required
), moved_batches AS (
  -- The batches of the flipped categories that certificate_issuance and input_record_coverage count, signed by the flip.
  SELECT s.sign, b.id, b.organization_id, b.region_code, b.produced_on, p.category_path
  FROM flipped fl
  CROSS JOIN LATERAL (SELECT CASE WHEN fl.required THEN 1 ELSE -1 END AS sign) s
  JOIN products p ON p.category_path = fl.path
  JOIN batches b ON b.product_id = p.id
  JOIN organizations o ON o.id = b.organization_id
  WHERE o.kind <> 'individual'
), moved AS (
  INSERT INTO indicator_deltas (indicator, detail, organization_id, region_code, category_path, month, numerator, denominator)
  SELECT 'certificate_issuance', '', m.organization_id, m.region_code, m.category_path, indicator_month(m.produced_on),
    sum(m.sign * (EXISTS (SELECT 1 FROM certificates x WHERE x.batch_id = m.id AND x.status = 'valid'))::int), sum(m.sign)
  FROM moved_batches m GROUP BY 1, 2, 3, 4, 5, 6
  UNION ALL
  -- input_record_coverage: those with farm records behind them (a gate record naming applications).
  SELECT 'input_record_coverage', '', m.organization_id, m.region_code, m.category_path, indicator_month(m.produced_on),
    sum(m.sign * (EXISTS (SELECT 1 FROM phi_gate_records g WHERE g.batch_id = m.id AND cardinality(g.application_ids) > 0))::int), sum(m.sign)
  FROM moved_batches m GROUP BY 1, 2, 3, 4, 5, 6
  RETURNING 1
)
SELECT (SELECT count(*) FROM flipped)::int AS flipped`;

/**
 * Runs the refresh. The batch, certificate and product triggers read the flags: the SHARE lock makes
 * their writers wait, so none falls between a flip and the deltas that account for it. Rule changes
 * are rare; a write waits for one short statement.
 */
export async function refreshCertificateFlags(manager: EntityManager): Promise<number> {
  await manager.query('LOCK TABLE batches, certificates, products, phi_gate_records IN SHARE MODE');
  const [{ flipped }] = (await manager.query(REFRESH_FLAGS_SQL)) as { flipped: number }[];
  return flipped;
}
