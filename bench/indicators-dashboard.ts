/**
 * Dashboard render time for bench/indicators.ts: a regulator person of the bench's 成都市 regulator
 * organisation is invited and logs in through the console (cookie session, as a browser would), then
 * GET /app/dashboard is timed for several filters (server render + transfer, to the last byte), the
 * drill-down pages, and the exports of the largest tables. Target: ≤ 300 ms a page.
 */
import { Client } from 'pg';
import { BENCH_ADMIN_TOKEN, ConsoleSession } from './support';

const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 15);
const PASSWORD = '成都市农业农村局2026冬';

export interface DashboardResult {
  rows: Record<string, string | number>[];
  /** Every timed overview request, for the summary (empty when not measured). */
  overviewMs: number[];
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function login(url: string, organizationId: string): Promise<ConsoleSession | string> {
  const res = await fetch(`${url}/api/v1/organizations/${organizationId}/console-invites`, {
    method: 'POST', headers: { Authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ loginName: 'bench-regulator', displayName: '李强', role: 'regulator' }),
  });
  const invite = (await res.json()) as { inviteUrl?: string; message?: string };
  if (res.status !== 201 || !invite.inviteUrl) return `a regulator console invite answered ${res.status} (${invite.message ?? ''})`;
  const session = new ConsoleSession(url);
  const path = new URL(invite.inviteUrl).pathname;
  const page = await session.get(path);
  await session.post(path, { ...ConsoleSession.hidden(page.text, path), password: PASSWORD, confirm: PASSWORD });
  return session;
}

async function time(session: ConsoleSession, path: string, runs: number): Promise<{ ms: number[]; status: number; kb: number }> {
  const first = await session.get(path); // warm-up: plans, caches
  if (first.status !== 200) return { ms: [], status: first.status, kb: 0 };
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await session.get(path);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms: ms.sort((a, b) => a - b), status: 200, kb: first.bytes / 1024 };
}

/** The busiest organisation and batch of a county, for the drill-down pages. */
async function drillDownIds(db: Client, county: string): Promise<{ organization: string; batch: string }> {
  const [row] = (await db.query(`SELECT b.organization_id AS organization, (SELECT s.batch_id FROM samples s WHERE s.organization_id = b.organization_id
      GROUP BY s.batch_id ORDER BY count(*) DESC LIMIT 1) AS batch
    FROM batches b WHERE b.region_code = $1 GROUP BY b.organization_id ORDER BY count(*) DESC LIMIT 1`, [county])).rows as { organization: string; batch: string }[];
  return row;
}

export async function dashboardRenderTimes(url: string, db: Client, regulatorOrganizationId: string): Promise<DashboardResult> {
  const session = await login(url, regulatorOrganizationId);
  if (typeof session === 'string') {
    throw new Error(`dashboard not measured: ${session}`);
  }
  const ids = await drillDownIds(db, '510131');
  const pages: [string, string, boolean][] = [
    ['/app/dashboard', '', true],
    ['/app/dashboard', '?region=510100&from=2026-01&to=2026-11&period=month', true],
    ['/app/dashboard', '?region=510131&from=2025-01&to=2025-12&period=quarter', true],
    ['/app/dashboard', '?region=510100&from=2024-01&to=2026-12&period=year&category=水果', true],
    ['/app/dashboard', '?from=2024-01&to=2026-12&period=month', true],
    [`/app/dashboard/organizations/${ids.organization}`, '?from=2025-01&to=2025-12', false],
    [`/app/dashboard/batches/${ids.batch}`, '', false],
    ['/app/dashboard/failed-samples', '?region=510100&from=2025-01&to=2025-12', false],
    ['/app/dashboard/certificate-gaps', '?region=510100&from=2025-01&to=2025-12', false],
    ['/app/dashboard/export/regions.xlsx', '?from=2024-01&to=2026-12', false],
    ['/app/dashboard/export/failed-samples.csv', '?from=2024-01&to=2026-12', false],
    ['/app/dashboard/export/failed-samples.xlsx', '?from=2024-01&to=2026-12', false],
    ['/app/dashboard/export/certificate-gaps.csv', '?from=2025-01&to=2025-12', false],
  ];
  const rows: Record<string, string | number>[] = [];
  const overviewMs: number[] = [];
  for (const [path, query, overview] of pages) {
    const runs = path.includes('/export/') ? Math.max(3, Math.floor(RUNS / 4)) : RUNS;
    const r = await time(session, `${path}${encodeURI(query)}`, runs);
    if (overview) overviewMs.push(...r.ms);
    rows.push({
      page: path.replace(/[0-9a-f-]{36}/, '{id}'), filters: query, 'p50 ms': r.ms.length ? pct(r.ms, 50).toFixed(1) : '-',
      'p95 ms': r.ms.length ? pct(r.ms, 95).toFixed(1) : '-', KB: r.kb ? r.kb.toFixed(0) : '-', note: r.status === 200 ? `${runs} runs` : `answered ${r.status}`,
    });
  }
  return { rows, overviewMs: overviewMs.sort((a, b) => a - b) };
}
