import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Two indicators of issue 19, fed to indicator_deltas by statement triggers like the others:
 * - consumer_reports_per_10k_scans: consumer reports (numerator) over scans (denominator), by the
 *   scanned batch's organisation, region and product category, in the month of the report / scan;
 * - recall_on_time_rate: graded live recalls that started by start_by and were closed by the end of
 *   finish_by (numerator) over graded live recalls decided — closed, or alerted overdue by the hourly
 *   job (denominator), by the initiator (else the starting lot's owner), the recall's region and the
 *   starting lot's category, in the month the recall started.
 * Facts stay where the batch was when they were counted (a batch moving to another organisation or
 * product later does not move its reports and scans).
 */
const COLUMNS = 'indicator, detail, organization_id, region_code, category_path, month, numerator, denominator';

function insertDeltas(facts: string): string {
  return `INSERT INTO indicator_deltas (${COLUMNS})
    SELECT indicator, detail, organization_id, region_code, category_path, month, sum(numerator), sum(denominator)
    FROM (${facts}) f (${COLUMNS}) GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(numerator) <> 0 OR sum(denominator) <> 0`;
}

const reportFacts = (rows: string, sign: string) => `SELECT 'consumer_reports_per_10k_scans', '', r.organization_id, r.region_code, p.category_path,
    indicator_month(r.created_at), ${sign}, 0
  FROM ${rows} r JOIN batches b ON b.id = r.batch_id JOIN products p ON p.id = b.product_id`;

const scanFacts = (rows: string, sign: string) => `SELECT 'consumer_reports_per_10k_scans', '', b.organization_id, b.region_code, p.category_path,
    indicator_month(s.scanned_at), 0, ${sign} * count(*)
  FROM ${rows} s JOIN batches b ON b.id = s.batch_id JOIN products p ON p.id = b.product_id
  GROUP BY 1, 2, 3, 4, 5, 6`;

const ON_TIME = `(r.closed_at IS NOT NULL AND r.created_at <= r.start_by
  AND r.closed_at < ((r.finish_by + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'))`;

const recallFacts = (rows: string, sign: string) => `SELECT 'recall_on_time_rate', '', coalesce(r.initiated_by_organization_id, b.organization_id), r.region_code,
    p.category_path, indicator_month(r.created_at), ${sign} * ${ON_TIME}::int, ${sign}
  FROM ${rows} r JOIN batches b ON b.id = r.batch_id JOIN products p ON p.id = b.product_id
  WHERE r.mode = 'recall' AND r.grade IS NOT NULL AND r.start_by IS NOT NULL AND r.finish_by IS NOT NULL
    AND (r.closed_at IS NOT NULL OR r.overdue_alerted_at IS NOT NULL)`;

function statementFunction(name: string, facts: (rows: string, sign: string) => string, update: boolean): string {
  return `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      ${insertDeltas(facts('new_rows', '1'))};
    ${update ? `ELSIF TG_OP = 'UPDATE' THEN
      ${insertDeltas(`${facts('new_rows', '1')} UNION ALL ${facts('old_rows', '-1')}`)};` : ''}
    ELSE
      ${insertDeltas(facts('old_rows', '-1'))};
    END IF;
    RETURN NULL;
  END
  $fn$`;
}

const FUNCTIONS = [
  statementFunction('indicator_consumer_reports', reportFacts, false),
  statementFunction('indicator_scan_events', scanFacts, false),
  statementFunction('indicator_recalls', recallFacts, true),
];

const TRIGGERS = [
  'CREATE TRIGGER indicator_reports_insert AFTER INSERT ON consumer_reports REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_consumer_reports()',
  'CREATE TRIGGER indicator_reports_delete AFTER DELETE ON consumer_reports REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_consumer_reports()',
  'CREATE TRIGGER indicator_scans_insert AFTER INSERT ON scan_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_scan_events()',
  'CREATE TRIGGER indicator_scans_delete AFTER DELETE ON scan_events REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_scan_events()',
  'CREATE TRIGGER indicator_recalls_insert AFTER INSERT ON recalls REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_recalls()',
  'CREATE TRIGGER indicator_recalls_update AFTER UPDATE ON recalls REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_recalls()',
  'CREATE TRIGGER indicator_recalls_delete AFTER DELETE ON recalls REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_recalls()',
];

export class ReportAndRecallIndicators1796433013919 implements MigrationInterface {
  name = 'ReportAndRecallIndicators1796433013919';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('LOCK TABLE scan_events, recalls, consumer_reports IN SHARE MODE');
    for (const sql of [...FUNCTIONS, ...TRIGGERS]) await queryRunner.query(sql);
    // What exists already: every scan and recall so far (consumer reports are new with this release's previous migration).
    await queryRunner.query(insertDeltas(`${reportFacts('consumer_reports', '1')} UNION ALL ${scanFacts('scan_events', '1')} UNION ALL ${recallFacts('recalls', '1')}`));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const op of ['insert', 'delete']) await queryRunner.query(`DROP TRIGGER indicator_reports_${op} ON consumer_reports`);
    for (const op of ['insert', 'delete']) await queryRunner.query(`DROP TRIGGER indicator_scans_${op} ON scan_events`);
    for (const op of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER indicator_recalls_${op} ON recalls`);
    for (const fn of ['indicator_consumer_reports', 'indicator_scan_events', 'indicator_recalls']) await queryRunner.query(`DROP FUNCTION ${fn}()`);
  }
}
