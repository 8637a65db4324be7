import type { FarmInputView, HarvestOutlook, InputApplicationView, ScanResolution } from '../../farm-inputs';
import type { SiteView } from '../../sites';
import type { ConsoleContext } from '../console-auth.service';
import { consolePage, Csrf, Flash, FormState, Input, type Options, PostForm, Select, Shell, StatusTag, value } from './layout';

/**
 * The phone-first 农事 pages (farm records): pick a site, then on its page log an application in
 * three taps — scan the pesticide bottle or seed bag (or tap a recent input, or search), check the
 * form the last use filled in, 记录 — and see per crop from when harvest is allowed.
 */

const short = (category: string) => category.split('>').pop() ?? category;

export function farmSitesPage(ctx: ConsoleContext, sites: SiteView[]): string {
  return consolePage(
    <Shell ctx={ctx} title="农事记录" active="farm">
      <section class="card"><h2>选择基地</h2>
        {sites.length ? <ul class="list">
          {sites.map((s) => <li><a href={`/app/farm/sites/${s.id}`}>{s.name}</a><br /><span class="muted">{s.regionName}{s.address ? ` · ${s.address}` : ''}</span></li>)}
        </ul> : <p class="muted">还没有生产基地。请先在 <a href="/app/sites">基地</a> 中添加。</p>}
      </section>
    </Shell>,
  );
}

/** What the site page shows for picking an input: a scan's outcome, search results, the inputs used lately. */
export interface InputPicker {
  code: string;
  q: string;
  scan: ScanResolution | null;
  scanProblem: string | null;
  results: FarmInputView[] | null;
  recentInputs: FarmInputView[];
}

export interface FarmSiteData {
  site: SiteView;
  outlook: HarvestOutlook[];
  picker: InputPicker;
  /** The input chosen (tap, scan or search): the record form shows. */
  chosen: FarmInputView | null;
  crops: Options;
  records: InputApplicationView[];
  form: FormState;
  voidForm: { id: string; state: FormState } | null;
  formKey: string;
  today: string;
}

function Outlook({ rows, today }: { rows: HarvestOutlook[]; today: string }) {
  if (rows.length === 0) return <p class="muted">还没有作物：添加产品或记录农事后，这里显示各作物何时可以采收。</p>;
  return (
    <ul class="list" id="harvest-outlook">
      {rows.map((o) => (
        <li data-crop={o.crop}><strong>{short(o.crop)}</strong>{' '}
          {o.banned.length
            ? <><span class="tag bad">不可采收</span><br /><span class="muted">使用过禁用投入品 {o.banned.map((b) => `${b.input.name}（${b.appliedOn}）`).join('、')}</span></>
            : o.firstAllowedDate
              ? <><span class="tag on_hold" data-first-allowed={o.firstAllowedDate}>{o.firstAllowedDate} 起可采收</span><br />
                <span class="muted">{o.blocking && `${o.blocking.input.name} ${o.blocking.appliedOn} 施用，安全间隔期 ${o.blocking.intervalDays} 天`}</span></>
              : <><span class="tag" data-first-allowed={today}>今天可采收</span>
                {o.overridden.length > 0 && <><br /><span class="muted">间隔期未满的记录已经监管部门核准放行</span></>}</>}
        </li>
      ))}
    </ul>
  );
}

function InputLink({ siteId, input, code }: { siteId: string; input: FarmInputView; code?: string }) {
  const query = new URLSearchParams({ inputId: input.id });
  if (code) query.set('code', code);
  return <a class="chip" href={`/app/farm/sites/${siteId}?${query.toString()}`}>{input.name}<span class="muted"> · {input.kindName}</span></a>;
}

function Picker({ site, p }: { site: SiteView; p: InputPicker }) {
  const scanned = p.scan;
  return (
    <section class="card"><h2>1. 选投入品</h2>
      <form method="get" action={`/app/farm/sites/${site.id}`} novalidate>
        <div data-camera="#scan-code"><button type="button" data-start="" hidden>扫农药瓶或种子袋二维码</button>
          <video hidden playsinline muted></video><p class="err" data-camera-error="" hidden>无法打开摄像头，请输入标签码或搜索投入品。</p></div>
        <label class="f"><span>扫码内容（农药标签码 32 位数字，或种子标签二维码）</span>
          <input name="code" id="scan-code" value={p.code} autocomplete="off" inputmode="text" aria-invalid={p.scanProblem ? 'true' : undefined}
            aria-describedby={p.scanProblem ? 'err-code' : undefined} />
          {p.scanProblem && <p class="err" id="err-code" data-field="code">{p.scanProblem}</p>}
        </label>
        <button type="submit">识别</button>
      </form>
      {scanned?.source === 'seed_label' && <SeedScanned site={site} scan={scanned} code={p.code} />}
      <form method="get" action={`/app/farm/sites/${site.id}`} novalidate>
        <label class="f"><span>或搜索投入品（名称）</span><input name="q" type="search" value={p.q} autocomplete="off" /></label>
        <button type="submit">搜索</button>
      </form>
      {p.results && (p.results.length
        ? <p id="search-results">{p.results.map((i) => <InputLink siteId={site.id} input={i} />)}</p>
        : <p class="muted">没有找到“{p.q}”。</p>)}
      {p.recentInputs.length > 0 && <><h3>本基地最近用过</h3><p>{p.recentInputs.map((i) => <InputLink siteId={site.id} input={i} />)}</p></>}
    </section>
  );
}

/** A seed bag read: which variety, whose, its unit code; when several seeds carry the name, a tap on one keeps the scan (and its unit code). */
function SeedScanned({ site, scan, chosen, code }: { site: SiteView; scan: Extract<ScanResolution, { source: 'seed_label' }>; chosen?: boolean; code?: string }) {
  return (
    <div id="seed-label"><p>种子：<strong>{scan.seed.variety}</strong> · {scan.seed.producer}<br />
      <span class="muted">单元识别代码 {scan.seed.unitCode}{scan.seed.layout.verified ? '' : '（二维码格式依二手资料，待核实）'}</span></p>
      {!chosen && scan.inputs.length === 0 && <p class="err">投入品目录中没有这个品种的种子：请搜索选择，或请管理员把它加入目录。</p>}
      {!chosen && scan.inputs.length > 1 && <><p>目录中有多个同名品种，请选择：</p>
        <p>{scan.inputs.map((i) => <InputLink siteId={site.id} input={i} code={code} />)}</p></>}
    </div>
  );
}

const DOSE_OPTIONS = (units: readonly string[]): Options => units.map((u) => [u, u]);

function RecordForm({ ctx, d, doseUnits, areaUnits }: { ctx: ConsoleContext; d: FarmSiteData; doseUnits: readonly string[]; areaUnits: readonly string[] }) {
  const input = d.chosen!;
  const state = d.form;
  return (
    <PostForm action={`/app/farm/sites/${d.site.id}/applications`} csrf={ctx.csrf} submit="记录" formKey={d.formKey} state={state}>
      <h2>2. 核对并记录</h2>
      <p id="chosen-input"><strong>{input.name}</strong> <span class="muted">{input.kindName}{input.registrationNumber ? ` · ${input.registrationNumber}` : ''}</span>
        {input.flags.banned && <><br /><span class="tag bad">禁用</span> 食用作物不得使用</>}</p>
      {d.picker.scan?.source === 'seed_label' && <SeedScanned site={d.site} scan={d.picker.scan} chosen />}
      <input type="hidden" name="inputId" value={input.id} />
      {value(state, 'labelCode') && <input type="hidden" name="labelCode" value={value(state, 'labelCode')} />}
      {value(state, 'seedUnitCode') && <input type="hidden" name="seedUnitCode" value={value(state, 'seedUnitCode')} />}
      <Select label="作物" name="crop" state={state} required options={d.crops} />
      <Input label="施用时间" name="appliedAt" type="datetime-local" state={state} required />
      <div class="pair">
        <Input label="用量" name="dose.value" state={state} required attrs={{ inputmode: 'decimal' }} />
        <Select label="单位" name="dose.unit" state={state} options={DOSE_OPTIONS(doseUnits)} />
      </div>
      <div class="pair">
        <Input label="面积（或头数）" name="area.value" state={state} required attrs={{ inputmode: 'decimal' }} />
        <Select label="单位" name="area.unit" state={state} options={DOSE_OPTIONS(areaUnits)} />
      </div>
      <Input label="防治对象或用途" name="target" state={state} required placeholder="如 蚜虫、追肥、播种" />
      <Input label="施用人" name="operator" state={state} required />
    </PostForm>
  );
}

function Records({ ctx, d }: { ctx: ConsoleContext; d: FarmSiteData }) {
  return (
    <section class="card"><h2>最近的农事记录</h2>
      {d.records.length ? <ul class="list" id="farm-records">
        {d.records.map((r) => (
          <li data-record={r.id}>{r.status === 'voided' ? <StatusTag status="voided" /> : <span class="tag">有效</span>}{' '}
            <strong>{r.input.name}</strong> · {short(r.crop)}<br />
            <span class="muted">{r.appliedAt.slice(0, 10)} · {r.dose.value} {r.dose.unit} / {r.area.value} {r.area.unit} · {r.target} · {r.operator}</span>
            {r.seedUnitCode && <><br /><span class="muted" data-seed-unit-code={r.seedUnitCode}>种子单元识别代码 {r.seedUnitCode}</span></>}
            {r.warnings.map((w) => <><br /><span class="err">{w.message}</span></>)}
            {r.status === 'voided' && <><br /><span class="muted">作废原因：{r.voidReason}</span></>}
            {r.status === 'recorded' && <VoidForm ctx={ctx} siteId={d.site.id} id={r.id} state={d.voidForm?.id === r.id ? d.voidForm.state : undefined} />}
          </li>
        ))}
      </ul> : <p class="muted">本基地还没有农事记录。</p>}
    </section>
  );
}

function VoidForm({ ctx, siteId, id, state }: { ctx: ConsoleContext; siteId: string; id: string; state?: FormState }) {
  const problem = state?.problems.fields.reason ?? state?.problems.general;
  return (
    <details open={!!problem}><summary class="muted">作废这条记录</summary>
    <form method="post" action={`/app/farm/applications/${id}/void`} class="inline" novalidate>
      <Csrf token={ctx.csrf} /><input type="hidden" name="siteId" value={siteId} />
      <label class="f"><span>记错了？写明原因后作废，再重新记录</span>
        <input name="reason" value={state ? value(state, 'reason') : ''} aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? `err-void-${id}` : undefined} />
        {problem && <p class="err" id={`err-void-${id}`} data-field="reason">{problem}</p>}
      </label>
      <button type="submit" class="danger">作废</button>
    </form></details>
  );
}

export function farmSitePage(ctx: ConsoleContext, d: FarmSiteData, units: { dose: readonly string[]; area: readonly string[] }, notice?: string): string {
  return consolePage(
    <Shell ctx={ctx} title={`农事 · ${d.site.name}`} active="farm">
      <Flash message={notice} />
      {d.chosen ? <RecordForm ctx={ctx} d={d} doseUnits={units.dose} areaUnits={units.area} /> : <Picker site={d.site} p={d.picker} />}
      {d.chosen && <p><a href={`/app/farm/sites/${d.site.id}`}>换一个投入品</a></p>}
      <section class="card"><h2>何时可以采收</h2><Outlook rows={d.outlook} today={d.today} /></section>
      <Records ctx={ctx} d={d} />
      <p><a href="/app/farm">其他基地</a></p>
    </Shell>,
  );
}
