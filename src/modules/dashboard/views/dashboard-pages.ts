import { esc } from '../../../common/html';
import { FormState, select, shell, statusTag, versionedUrl } from '../../console';
import type { ConsoleContext } from '../../console';
import { INDICATORS } from '../../indicators/domain';
import type { IndicatorResult, PeriodDimension } from '../../indicators/domain';
import type { Region } from '../../regions/domain';
import type { BatchHead, OrganizationHead } from '../dashboard-lists.service';
import type { Overview } from '../dashboard.service';
import { DashboardFilters, filterQuery } from '../domain/filters';
import { indicatorsIn } from '../domain/indicator-tables';
import { Table, toNumber } from '../domain/table';
import { DASHBOARD_CSS } from './dashboard-css';
import { exportLinks, tableCard } from './table-html';
import { tiles } from './tiles';
import { countChart, rateChart } from './trend-chart';

export const PERIOD_TEXT: Record<PeriodDimension, string> = { month: '月', quarter: '季度', year: '年' };

export interface FilterForm {
  /** The page the GET form reloads. */
  action: string;
  state: FormState;
  /** Regions the actor may choose, `[code, label]`; null when there is no choice (producers see their own figures). */
  regions: [string, string][] | null;
  categories: string[];
}

export const DASHBOARD_CSS_URL = versionedUrl('/app/dashboard/dashboard.css', DASHBOARD_CSS);

function page(ctx: ConsoleContext, title: string, body: string): string {
  return shell(ctx, title, body, 'dashboard', DASHBOARD_CSS_URL);
}

const SUB_PAGES: [string, string][] = [['/app/dashboard', '指标总览'], ['/app/dashboard/failed-samples', '不合格样品'], ['/app/dashboard/certificate-gaps', '未开合格证批次']];

function subNav(current: string, f: DashboardFilters | null): string {
  const q = f ? filterQuery(f) : '';
  return `<nav class="sub" aria-label="质量指标">${SUB_PAGES.map(([href, text]) =>
    `<a href="${esc(href + q)}"${href === current ? ' aria-current="page"' : ''}>${text}</a>`).join('')}</nav>`;
}

function monthInput(label: string, name: string, state: FormState): string {
  const v = state.values[name];
  const problem = state.problems.fields[name];
  return `<label class="f"><span>${esc(label)}</span><input type="month" name="${esc(name)}" value="${esc(typeof v === 'string' ? v : '')}" placeholder="2026-01"${problem ? ` aria-invalid="true" aria-describedby="err-${name}"` : ''}>
${problem ? `<p class="err" id="err-${name}" data-field="${name}">${esc(problem)}</p>` : ''}</label>`;
}

/** The GET form of filters; problems (bad months, unknown region or category) show next to their field. */
export function filterForm(form: FilterForm): string {
  const categories: [string, string][] = [['', '全部类别'], ...form.categories.map((path): [string, string] => {
    const parts = path.split('>');
    return [path, `${'　'.repeat(parts.length - 1)}${parts[parts.length - 1]}`];
  })];
  const periods = (Object.entries(PERIOD_TEXT) as [PeriodDimension, string][]).map(([k, v]): [string, string] => [k, `按${v}`]);
  const general = form.state.problems.general ? `<p class="err general" role="alert">${esc(form.state.problems.general)}</p>` : '';
  return `<form method="get" action="${esc(form.action)}" class="card filters" aria-label="筛选">${general}
${form.regions ? select('地区', 'region', form.state, form.regions) : ''}
${monthInput('起始月份', 'from', form.state)}${monthInput('截止月份', 'to', form.state)}
${select('产品类别', 'category', form.state, categories)}${select('趋势周期', 'period', form.state, periods)}
<div class="f submit"><button type="submit">查询</button></div></form>`;
}

/** Where the figures come from, in one line: region · months · category · grouping. */
export function scopeLine(regionName: string, f: DashboardFilters): string {
  return `${regionName} · ${f.from} 至 ${f.to} · ${f.category ?? '全部类别'} · 趋势按${PERIOD_TEXT[f.period]}`;
}

/** Province › 市(州) › county (› organisation › batch): each step links back up. */
function trailNav(trail: Region[], f: DashboardFilters, tail: [text: string, href: string | null][] = []): string {
  const steps: [string, string | null][] = [...trail.map((r): [string, string] => [r.name, `/app/dashboard${filterQuery(f, { region: r.code })}`]), ...tail];
  if (steps.length < 2) return '';
  return `<p class="trail" aria-label="下钻路径">${steps.map(([text, href]) => (href ? `<a href="${esc(href)}">${esc(text)}</a>` : esc(text))).join(' › ')}</p>`;
}

/** One chart per indicator over the periods of the trend result. */
function charts(trend: IndicatorResult): string {
  return `<div class="charts">${indicatorsIn(trend).map((key) => {
    const def = INDICATORS[key];
    const points = trend.rows.filter((r) => r.indicator === key && r.period)
      .sort((a, b) => a.period!.from.localeCompare(b.period!.from))
      .map((r) => ({ label: r.period!.key, rate: r.rate, numerator: toNumber(r.numerator), denominator: toNumber(r.denominator) }));
    const target = def.target?.kind === 'at_least' ? def.target.value : null;
    const svg = def.quantity ? countChart(def.name, points) : rateChart(def.name, points, target);
    return `<figure data-chart="${esc(key)}"><figcaption>${esc(def.name)}</figcaption>${svg}</figure>`;
  }).join('')}</div>`;
}

/** The overview's figures (DashboardService.overview) and what the page adds around them. */
export interface OverviewData extends Overview {
  filters: DashboardFilters;
  form: FilterForm;
  ownOrganizationId: string | null;
}

export function overviewPage(ctx: ConsoleContext, d: OverviewData): string {
  const q = filterQuery(d.filters);
  const own = d.ownOrganizationId
    ? `<section class="card"><h2>本单位批次</h2><p><a class="btn" href="${esc(`/app/dashboard/organizations/${d.ownOrganizationId}${q}`)}">查看批次、合格证和抽检情况</a></p></section>` : '';
  return page(ctx, '质量指标', `${subNav('/app/dashboard', d.filters)}
<p class="muted" data-scope>${esc(scopeLine(d.regionName, d.filters))}</p>${trailNav(d.trail, d.filters)}
${filterForm(d.form)}
<section aria-labelledby="h-kpi"><div class="card-head"><h2 id="h-kpi">指标总览</h2>${exportLinks(d.kpiTable, q)}</div>${tiles(d.kpi.rows)}</section>
<section class="card" aria-labelledby="h-trend-charts"><div class="card-head"><h2 id="h-trend-charts">趋势（按${PERIOD_TEXT[d.filters.period]}）</h2></div>
${charts(d.trend)}<p class="muted">虚线为目标值；图中各点的数值见下表。</p></section>
${tableCard(d.trendTable, q, { empty: '该期间没有数据', collapsed: '展开各期数据' })}
${d.breakdown ? tableCard(d.breakdown, q, { empty: '该地区没有数据', caption: d.breakdown.id === 'regions' ? '点击地区名称查看下一级' : '点击主体名称查看其批次' }) : own}
${tableCard(d.categories, q, { empty: '该期间没有数据', caption: '点击类别查看其下一级类别' })}
${tableCard(d.gi, q, { empty: '该期间没有标注地理标志的批次', caption: '所选期间生产、标注地理标志的批次及其申报数量（按各产品自己的计量单位，不跨单位相加）' })}`);
}

function pager(nextHref: string | null): string {
  return nextHref ? `<p class="pager"><a class="btn" href="${esc(nextHref)}" rel="next">下一页</a></p>` : '';
}

export interface OrganizationData {
  filters: DashboardFilters;
  organization: OrganizationHead;
  regionName: string;
  trail: Region[];
  kpi: IndicatorResult;
  batches: Table;
  nextHref: string | null;
}

export function organizationPage(ctx: ConsoleContext, d: OrganizationData): string {
  const q = filterQuery(d.filters, { organization: d.organization.id });
  return page(ctx, d.organization.name, `${subNav('', d.filters)}
${trailNav(d.trail, d.filters, [[d.organization.name, null]])}
<p class="muted" data-scope>${esc(scopeLine(d.regionName, d.filters))} · 注册地 ${esc(d.organization.regionCode)}</p>
<section aria-label="本主体指标">${tiles(d.kpi.rows)}</section>
${tableCard(d.batches, q, { empty: '该期间没有批次', footer: pager(d.nextHref), caption: '点击批号查看样品' })}`);
}

export interface BatchData {
  filters: DashboardFilters;
  batch: BatchHead;
  trail: Region[];
  samples: Table;
  /** The lots it came from and went to. */
  trace: Table;
  nextHref: string | null;
}

export function batchPage(ctx: ConsoleContext, d: BatchData): string {
  const b = d.batch;
  const orgHref = `/app/dashboard/organizations/${b.organizationId}${filterQuery(d.filters)}`;
  const cert = b.certificates.valid > 0 ? '有效' : b.certificates.voided > 0 ? '已作废' : '未开具';
  return page(ctx, `${b.productName} · 批号 ${b.lotCode}`, `${subNav('', d.filters)}
${trailNav(d.trail, d.filters, [[b.organizationName, orgHref], [b.lotCode, null]])}
<section class="card"><dl class="facts">
<dt>主体</dt><dd><a href="${esc(orgHref)}">${esc(b.organizationName)}</a></dd><dt>生产日期</dt><dd>${esc(b.producedOn)}</dd>
<dt>追溯码</dt><dd><code>${esc(b.traceCode ?? '—')}</code></dd><dt>合格证</dt><dd>${cert}</dd>
<dt>批次状态</dt><dd>${statusTag(b.status)}</dd>
<dt>抽检</dt><dd>${b.samples.total} 个样品，合格 ${b.samples.passed}，不合格 ${b.samples.failed}</dd></dl></section>
${tableCard(d.samples, filterQuery(d.filters, { batch: b.id }), { empty: '该批次没有抽检样品', footer: pager(d.nextHref) })}
${tableCard(d.trace, filterQuery(d.filters, { batch: b.id }), { empty: '该批次没有发货、收货或加工记录', caption: '该批次的来源和去向（发货、收货、混合、分装、加工），最多上下各 10 级；召回时据此查找受影响的批次' })}`);
}

export interface ListData {
  filters: DashboardFilters;
  form: FilterForm;
  regionName: string;
  /** The last one is the paged list (it gets the next-page link). */
  tables: { table: Table; caption?: string; empty?: string }[];
  nextHref: string | null;
  note?: string;
}

/** Failed samples and certificate gaps: the filters, the list(s), a next-page link. */
export function listPage(ctx: ConsoleContext, path: string, title: string, d: ListData): string {
  const q = filterQuery(d.filters);
  const cards = d.tables.map(({ table, caption, empty }, i) => tableCard(table, q, { caption, empty, footer: i === d.tables.length - 1 ? pager(d.nextHref) : undefined }));
  return page(ctx, title, `${subNav(path, d.filters)}
<p class="muted" data-scope>${esc(scopeLine(d.regionName, d.filters))}</p>
${filterForm(d.form)}${d.note ? `<p class="muted">${esc(d.note)}</p>` : ''}
${cards.join('')}`);
}

/** The filters again with what was wrong next to each field (400). */
export function filterProblemPage(ctx: ConsoleContext, path: string, form: FilterForm): string {
  return page(ctx, '质量指标', `${subNav(path, null)}${filterForm(form)}
<p class="muted">请修改上面标出的筛选条件后重新查询。</p>`);
}
