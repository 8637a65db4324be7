import type { ComponentChildren } from 'preact';
import { consolePage, FormState, KdeFacts, Select, Shell, StatusTag, versionedUrl } from '../../console';
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
import { ExportLinks, TableCard } from './table-html';
import { Tiles } from './tiles';
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

/** Regulator workspace: a dashboard page inside the console shell, with the dashboard's sheet. */
function page(ctx: ConsoleContext, title: string, body: ComponentChildren): string {
  return consolePage(<Shell ctx={ctx} title={title} active="dashboard" sheet={DASHBOARD_CSS_URL}>{body}</Shell>);
}

const SUB_PAGES: [string, string][] = [['/app/dashboard', '指标总览'], ['/app/dashboard/failed-samples', '不合格样品'], ['/app/dashboard/certificate-gaps', '未开合格证批次'],
  ['/app/dashboard/fsma204', 'FSMA 204 记录表']];

function SubNav({ current, f }: { current: string; f: DashboardFilters | null }) {
  const q = f ? filterQuery(f) : '';
  return (
    <nav class="sub" aria-label="质量指标">
      {SUB_PAGES.map(([href, text]) => <a href={href + q} aria-current={href === current ? 'page' : undefined}>{text}</a>)}
    </nav>
  );
}

function MonthInput({ label, name, state }: { label: string; name: string; state: FormState }) {
  const v = state.values[name];
  const problem = state.problems.fields[name];
  return (
    <label class="f"><span>{label}</span>
      <input type="month" name={name} value={typeof v === 'string' ? v : ''} placeholder="2026-01"
        aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? `err-${name}` : undefined} />
      {problem && <p class="err" id={`err-${name}`} data-field={name}>{problem}</p>}
    </label>
  );
}

/** The GET form of filters; problems (bad months, unknown region or category) show next to their field. */
export function FilterFormView({ form }: { form: FilterForm }) {
  const categories: [string, string][] = [['', '全部类别'], ...form.categories.map((path): [string, string] => {
    const parts = path.split('>');
    return [path, `${'　'.repeat(parts.length - 1)}${parts[parts.length - 1]}`];
  })];
  const periods = (Object.entries(PERIOD_TEXT) as [PeriodDimension, string][]).map(([k, v]): [string, string] => [k, `按${v}`]);
  return (
    <form method="get" action={form.action} class="card filters" aria-label="筛选">
      {form.state.problems.general && <p class="err general" role="alert">{form.state.problems.general}</p>}
      {form.regions && <Select label="地区" name="region" state={form.state} options={form.regions} />}
      <MonthInput label="起始月份" name="from" state={form.state} /><MonthInput label="截止月份" name="to" state={form.state} />
      <Select label="产品类别" name="category" state={form.state} options={categories} />
      <Select label="趋势周期" name="period" state={form.state} options={periods} />
      <div class="f submit"><button type="submit">查询</button></div>
    </form>
  );
}

/** Where the figures come from, in one line: region · months · category · grouping. */
export function scopeLine(regionName: string, f: DashboardFilters): string {
  return `${regionName} · ${f.from} 至 ${f.to} · ${f.category ?? '全部类别'} · 趋势按${PERIOD_TEXT[f.period]}`;
}

/** Province › 市(州) › county (› organisation › batch): each step links back up. */
function TrailNav({ trail, f, tail = [] }: { trail: Region[]; f: DashboardFilters; tail?: [text: string, href: string | null][] }) {
  const steps: [string, string | null][] = [...trail.map((r): [string, string] => [r.name, `/app/dashboard${filterQuery(f, { region: r.code })}`]), ...tail];
  if (steps.length < 2) return null;
  return (
    <p class="trail" aria-label="下钻路径">
      {steps.map(([text, href], i) => <>{i > 0 && ' › '}{href ? <a href={href}>{text}</a> : text}</>)}
    </p>
  );
}

/** One chart per indicator over the periods of the trend result. */
function Charts({ trend }: { trend: IndicatorResult }) {
  return (
    <div class="charts">{indicatorsIn(trend).map((key) => {
      const def = INDICATORS[key];
      const points = trend.rows.filter((r) => r.indicator === key && r.period)
        .sort((a, b) => a.period!.from.localeCompare(b.period!.from))
        .map((r) => ({ label: r.period!.key, rate: r.rate, numerator: toNumber(r.numerator), denominator: toNumber(r.denominator) }));
      const target = def.target?.kind === 'at_least' ? def.target.value : null;
      return (
        <figure data-chart={key}><figcaption>{def.name}</figcaption>
          {def.quantity ? countChart(def.name, points)
            // A value in a unit (median hours) or per N is no percentage: bars of the value.
            : def.unit || def.per ? countChart(`${def.name}（${def.unit ?? `每 ${def.per}`}）`, points.map((p) => ({ ...p, denominator: p.rate ?? 0 })))
            : rateChart(def.name, points, target)}</figure>
      );
    })}</div>
  );
}

/** The overview's figures (DashboardService.overview) and what the page adds around them. */
export interface OverviewData extends Overview {
  filters: DashboardFilters;
  form: FilterForm;
  ownOrganizationId: string | null;
}

export function overviewPage(ctx: ConsoleContext, d: OverviewData): string {
  const q = filterQuery(d.filters);
  const own = d.ownOrganizationId && (
    <section class="card"><h2>本单位批次</h2>
      <p><a class="btn" href={`/app/dashboard/organizations/${d.ownOrganizationId}${q}`}>查看批次、合格证和抽检情况</a></p></section>
  );
  return page(ctx, '质量指标', <>
    <SubNav current="/app/dashboard" f={d.filters} />
    <p class="muted" data-scope="">{scopeLine(d.regionName, d.filters)}</p><TrailNav trail={d.trail} f={d.filters} />
    <FilterFormView form={d.form} />
    <section aria-labelledby="h-kpi"><div class="card-head"><h2 id="h-kpi">指标总览</h2><ExportLinks table={d.kpiTable} query={q} /></div>
      <Tiles rows={d.kpi.rows} /></section>
    <section class="card" aria-labelledby="h-trend-charts"><div class="card-head"><h2 id="h-trend-charts">趋势（按{PERIOD_TEXT[d.filters.period]}）</h2></div>
      <Charts trend={d.trend} /><p class="muted">虚线为目标值；图中各点的数值见下表。</p></section>
    <TableCard table={d.trendTable} exportQuery={q} o={{ empty: '该期间没有数据', collapsed: '展开各期数据' }} />
    {d.breakdown
      ? <TableCard table={d.breakdown} exportQuery={q}
        o={{ empty: '该地区没有数据', caption: d.breakdown.id === 'regions' ? '点击地区名称查看下一级' : '点击主体名称查看其批次' }} />
      : own}
    <TableCard table={d.categories} exportQuery={q} o={{ empty: '该期间没有数据', caption: '点击类别查看其下一级类别' }} />
    <TableCard table={d.gi} exportQuery={q}
      o={{ empty: '该期间没有标注地理标志的批次', caption: '所选期间生产、标注地理标志的批次及其申报数量（按各产品自己的计量单位，不跨单位相加）' }} />
  </>);
}

function Pager({ nextHref }: { nextHref: string | null }) {
  return nextHref ? <p class="pager"><a class="btn" href={nextHref} rel="next">下一页</a></p> : null;
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
  return page(ctx, d.organization.name, <>
    <SubNav current="" f={d.filters} />
    <TrailNav trail={d.trail} f={d.filters} tail={[[d.organization.name, null]]} />
    <p class="muted" data-scope="">{scopeLine(d.regionName, d.filters)} · 注册地 {d.organization.regionCode}</p>
    <section aria-label="本主体指标"><Tiles rows={d.kpi.rows} /></section>
    <TableCard table={d.batches} exportQuery={q} o={{ empty: '该期间没有批次', footer: <Pager nextHref={d.nextHref} />, caption: '点击批号查看样品' }} />
  </>);
}

export interface BatchData {
  filters: DashboardFilters;
  batch: BatchHead;
  trail: Region[];
  samples: Table;
  /** The lots it came from and went to. */
  trace: Table;
  /** The farm records behind it, and the warnings, overrides and gate judgements around them. */
  farm: Table[];
  nextHref: string | null;
}

export function batchPage(ctx: ConsoleContext, d: BatchData): string {
  const b = d.batch;
  const orgHref = `/app/dashboard/organizations/${b.organizationId}${filterQuery(d.filters)}`;
  const cert = b.certificates.valid > 0 ? '有效' : b.certificates.voided > 0 ? '已作废' : '未开具';
  const q = filterQuery(d.filters, { batch: b.id });
  return page(ctx, `${b.productName} · 批号 ${b.lotCode}`, <>
    <SubNav current="" f={d.filters} />
    <TrailNav trail={d.trail} f={d.filters} tail={[[b.organizationName, orgHref], [b.lotCode, null]]} />
    <section class="card"><dl class="facts">
      <dt>主体</dt><dd><a href={orgHref}>{b.organizationName}</a></dd><dt>生产日期</dt><dd>{b.producedOn}</dd>
      <dt>追溯码</dt><dd><code>{b.traceCode ?? '—'}</code></dd><dt>合格证</dt><dd>{cert}</dd>
      <dt>批次状态</dt><dd><StatusTag status={b.status} /></dd>
      <dt>抽检</dt><dd>{b.samples.total} 个样品，合格 {b.samples.passed}，不合格 {b.samples.failed}</dd></dl></section>
    <KdeFacts k={b.kdes} />
    <TableCard table={d.samples} exportQuery={q} o={{ empty: '该批次没有抽检样品', footer: <Pager nextHref={d.nextHref} /> }} />
    <TableCard table={d.trace} exportQuery={q}
      o={{ empty: '该批次没有发货、收货或加工记录', caption: '该批次的来源和去向（发货、收货、混合、分装、加工），最多上下各 10 级；召回时据此查找受影响的批次' }} />
    {d.farm.map((table, i) => (
      <TableCard table={table} exportQuery={q} o={i === 0
        ? { empty: '该批次的基地和作物没有农事记录', caption: '创建批次时安全间隔期核查找到的该基地、该作物的全部投入品使用记录（含事后作废的记录及原因）' }
        : { empty: '没有剂量警示或监管放行', caption: '超过标签最大用量的警示（记录时产生）、监管部门对未满间隔期的放行（由谁、何时、原因），以及批次的间隔期核查结果' }} />
    ))}
  </>);
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
  return page(ctx, title, <>
    <SubNav current={path} f={d.filters} />
    <p class="muted" data-scope="">{scopeLine(d.regionName, d.filters)}</p>
    <FilterFormView form={d.form} />{d.note && <p class="muted">{d.note}</p>}
    {d.tables.map(({ table, caption, empty }, i) => (
      <TableCard table={table} exportQuery={q} o={{ caption, empty, footer: i === d.tables.length - 1 ? <Pager nextHref={d.nextHref} /> : undefined }} />
    ))}
  </>);
}

/** The filters again with what was wrong next to each field (400). */
export function filterProblemPage(ctx: ConsoleContext, path: string, form: FilterForm): string {
  return page(ctx, '质量指标', <>
    <SubNav current={path} f={null} /><FilterFormView form={form} />
    <p class="muted">请修改上面标出的筛选条件后重新查询。</p>
  </>);
}
