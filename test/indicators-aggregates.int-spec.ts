import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { ADMIN_ACTOR } from '../src/modules/auth/actor';
import { selfAndAncestors } from '../src/modules/categories/domain/category-path';
import { IndicatorFoldService } from '../src/modules/indicators/indicator-fold.service';
import { IndicatorsService } from '../src/modules/indicators/indicators.service';
import { INDICATOR_KEYS, IndicatorQuery } from '../src/modules/indicators/domain/indicator-types';
import { isComputed } from '../src/modules/indicators/domain/computed-figures';
import { parseIndicatorQuery } from '../src/modules/indicators/domain/indicator-query';
import { answered, bruteForce, sourceFacts } from './support/indicator-brute-force';
import * as world from './support/indicator-world';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The maintained aggregates (triggers → deltas → fold → cells and rollup) must always equal a
 * brute-force count over the source rows: random writes of every kind the platform makes (multi-row
 * statements, updates that move rows between cells — a batch to another county, a product to another
 * category —, deletes), folds at random points (the app's own
 * fold timer runs too), then random questions at every region level, category level, window and grouping.
 */
const REGIONS = world.WORLD_REGIONS;
const MONTHS = Array.from({ length: 24 }, (_, i) => `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
const KINDS = ['cooperative', 'enterprise', 'family_farm', 'individual', 'lab'];

describe('indicator aggregates equal a brute-force recount (property)', () => {
  let t: TestApp;
  let db: DataSource;
  let fold: IndicatorFoldService;
  let service: IndicatorsService;
  let categories: string[];
  let w: world.World;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    fold = t.app.get(IndicatorFoldService);
    service = t.app.get(IndicatorsService);
    categories = ((await db.query('SELECT path FROM food_categories ORDER BY path')) as { path: string }[]).map((r) => r.path);
    w = await world.newWorld(db);
  });
  afterAll(() => t.close());

  const index = fc.nat({ max: 1000 });
  const month = fc.constantFrom(...MONTHS);
  const day = month.chain((m) => fc.constantFrom(`${m}-01`, `${m}-15`, `${m}-28`));
  // 00:30 China time on the 1st is still the previous month in UTC: months must be counted in China time.
  const instant = month.chain((m) => fc.constantFrom(`${m}-01T00:30:00+08:00`, `${m}-14T12:00:00+08:00`, `${m}-28T23:50:00+08:00`));
  const region = fc.constantFrom(...REGIONS);

  const op = fc.oneof(
    fc.record({ k: fc.constant('org' as const), kind: fc.constantFrom(...KINDS), uscc: fc.constantFrom('valid', 'none', 'override'), region, at: instant }),
    fc.record({ k: fc.constant('product' as const), org: index, category: index, gtin: fc.boolean(), at: instant }),
    fc.record({ k: fc.constant('batch' as const), product: index, region, on: day, code: fc.boolean() }),
    fc.record({ k: fc.constant('batch' as const), product: index, region, on: day, code: fc.boolean() }),
    fc.record({ k: fc.constant('move' as const), batch: index, region, on: day }),
    fc.record({ k: fc.constant('recategorise' as const), product: index, category: index }),
    fc.record({ k: fc.constant('certs' as const), batch: index, count: fc.integer({ min: 1, max: 2 }) }),
    fc.record({ k: fc.constant('certStatus' as const), cert: index, status: fc.constantFrom('valid' as const, 'voided' as const) }),
    fc.record({ k: fc.constant('certDelete' as const), cert: index }),
    fc.record({ k: fc.constant('print' as const), batch: index, count: fc.integer({ min: 1, max: 6 }) }),
    fc.record({ k: fc.constant('scan' as const), codes: fc.array(index, { minLength: 1, maxLength: 5 }), at: instant }),
    fc.record({
      k: fc.constant('sample' as const), batch: index, stream: fc.constantFrom('routine_monitoring', 'supervisory_sampling', 'self_test', 'rapid_test'),
      status: fc.constantFrom('collected', 'judged'), verdict: fc.constantFrom('pass', 'fail', 'no_limit'), at: instant,
    }),
    fc.record({ k: fc.constant('judgeAll' as const), verdict: fc.constantFrom('pass', 'fail') }),
    fc.record({ k: fc.constant('recheck' as const), sample: index, verdict: fc.constantFrom('pass', 'fail') }),
    fc.record({ k: fc.constant('gi' as const), batch: index, amount: fc.constantFrom('12.5', '300', '0.25'), unit: fc.constantFrom('kg', '个') }),
    fc.record({ k: fc.constant('fold' as const), limit: fc.integer({ min: 1, max: 20 }) }),
  );
  type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

  async function apply(o: Op): Promise<void> {
    if (o.k === 'org') return world.addOrg(db, w, o.kind, o.uscc, o.region, o.at);
    if (!w.orgs.length) return world.addOrg(db, w, 'cooperative', 'valid', REGIONS[0], '2025-03-03T10:00:00+08:00');
    if (o.k === 'product') return world.addProduct(db, w, o.org, categories[o.category % categories.length], o.gtin, o.at);
    if (!w.products.length) return world.addProduct(db, w, 0, '蔬菜>叶菜类蔬菜>芹菜', true, '2025-03-03T10:00:00+08:00');
    if (o.k === 'batch') return world.addBatch(db, w, o.product, o.region, o.on, o.code);
    if (!w.batches.length) return world.addBatch(db, w, 0, REGIONS[0], '2025-04-01', true);
    switch (o.k) {
      case 'move': return world.moveBatch(db, w, o.batch, o.region, o.on);
      case 'recategorise': return world.recategorise(db, w, o.product, categories[o.category % categories.length]);
      case 'certs': return world.issueCertificates(db, w, o.batch, o.count);
      case 'certStatus': return world.setCertificateStatus(db, w, o.cert, o.status);
      case 'certDelete': return world.deleteCertificate(db, w, o.cert);
      case 'print': return world.printLabels(db, w, o.batch, o.count);
      case 'scan': return world.scanCodes(db, w, o.codes, o.at);
      case 'sample': return world.addSample(db, w, o.batch, o.stream, o.status, o.status === 'judged' ? o.verdict : null, o.at);
      case 'judgeAll': return world.judgeOpenSamples(db, w, o.verdict);
      case 'recheck': return world.acceptRecheck(db, w, o.sample, o.verdict);
      case 'gi': return world.claimGi(db, w, o.batch, o.amount, o.unit);
      case 'fold': await fold.foldOnce(o.limit); return;
    }
  }

  const question = fc.record({
    // The aggregated indicators (the computed ones have no aggregates: their own tests recount them).
    indicators: fc.subarray(INDICATOR_KEYS.filter((k) => !isComputed(k)), { minLength: 1 }),
    region: fc.constantFrom('630000', '630100', '632200', '630102', '630202'),
    category: fc.oneof(fc.constant(''), index),
    organization: fc.oneof(fc.constant(null), index),
    from: fc.integer({ min: 0, max: 23 }),
    span: fc.integer({ min: 0, max: 23 }),
    period: fc.constantFrom(null, 'month', 'quarter', 'year'),
    split: fc.constantFrom(null, 'region', 'category', 'organization', 'gi'),
  });

  async function check(q: typeof question extends fc.Arbitrary<infer T> ? T : never): Promise<void> {
    const split = q.split === 'region' && !q.region.endsWith('00') ? null : q.split;
    const query: IndicatorQuery = {
      indicators: split === 'gi' ? ['gi_claimed', ...q.indicators.filter((k) => k !== 'gi_claimed')] : q.indicators,
      region: q.region,
      category: typeof q.category === 'number' ? categories[q.category % categories.length] : undefined,
      organizationId: q.organization !== null && w.orgs.length ? w.orgs[q.organization % w.orgs.length].id : undefined,
      from: MONTHS[q.from],
      to: MONTHS[Math.min(23, q.from + q.span)],
      groupBy: [...(q.period ? [q.period] : []), ...(split ? [split] : [])] as IndicatorQuery['groupBy'],
    };
    const result = await service.query(ADMIN_ACTOR, query);
    const spec = parseIndicatorQuery({
      indicator: query.indicators.join(','), region: query.region, category: query.category, organization: query.organizationId,
      from: query.from, to: query.to, groupBy: query.groupBy.join(','),
    }, '2026-12');
    const expected = bruteForce(await sourceFacts(db, world.WORLD_PREFIX), spec);
    const got = answered(result);
    expect([...got.entries()].sort()).toEqual([...expected.entries()].sort());
    for (const row of result.rows) {
      const d = Number(row.denominator);
      if (row.indicator !== 'gi_claimed' && d > 0) expect(row.rate).toBeCloseTo(Number(row.numerator) / d, 6);
    }
  }

  it('holds for random writes, folds and questions', async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), fc.array(question, { minLength: 1, maxLength: 4 }), async (ops, questions) => {
      for (const o of ops) await apply(o);
      for (const q of questions) await check(q);
    }), { numRuns: 30 });
    // Everything folded: the rollup alone must give the same answers.
    await fold.foldAll(1000, true);
    expect(Number((await db.query("SELECT count(*) FROM indicator_deltas WHERE region_code LIKE '63%'"))[0].count)).toBe(0);
    await fc.assert(fc.asyncProperty(question, check), { numRuns: 30 });
  });
});

describe('indicator triggers and the application agree on mandatory categories', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('indicator_certificate_required (SQL) follows the certificate-scope rules for every category', async () => {
    t = await createTestApp();
    const db = t.app.get(DataSource);
    const roots = new Set(((await db.query('SELECT category_path FROM certificate_scope_rules')) as { category_path: string }[]).map((r) => r.category_path));
    const rows = (await db.query('SELECT path, indicator_certificate_required(path) AS required FROM food_categories')) as { path: string; required: boolean }[];
    expect(rows.length).toBeGreaterThan(40);
    expect(rows.filter((r) => r.required !== selfAndAncestors(r.path).some((p) => roots.has(p)))).toEqual([]);
    // The rule's third item is fresh tea leaves; processed tea needs no certificate.
    expect(rows.find((r) => r.path === '饮料类>茶鲜叶')?.required).toBe(true);
    expect(rows.find((r) => r.path === '饮料类>茶叶')?.required).toBe(false);
  });
});
