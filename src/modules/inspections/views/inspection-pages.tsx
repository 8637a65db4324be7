import type { ConsoleContext, FormState } from '../../console';
import { consolePage, Flash, Input, PostForm, Select, Shell, Textarea, versionedUrl } from '../../console';
import { FINDING_SEVERITIES, ITEM_RESULTS, PHOTO_MAX_FILES } from '../domain';
import type { TemplateView } from '../inspection-templates.service';
import type { DueInspectionView, FindingView, InspectionView } from '../inspections.service';
import { INSPECTION_FORM_CSS, INSPECTION_FORM_JS } from './form-script';

export const FORM_SCRIPT = versionedUrl('/app/inspections/form.js', INSPECTION_FORM_JS);
export const FORM_SHEET = versionedUrl('/app/inspections/form.css', INSPECTION_FORM_CSS);

function values(state: FormState, name: string): string[] {
  const v = state.values[name];
  return Array.isArray(v) ? v : v ? [v] : [];
}

function value(state: FormState, name: string): string {
  const v = state.values[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function FindingLine({ f, photos = [] }: { f: FindingView; photos?: { n: number; href: string }[] }) {
  return (
    <li>
      <span class={`tag${f.overdue ? ' bad' : ''}`}>{f.status === 'closed' ? '已整改' : f.overdue ? '已逾期' : '待整改'}</span>{' '}
      <strong>{f.itemText ?? '其他问题'}</strong>：{f.description}
      <br /><span class="muted">{f.severityName} · 整改期限 {f.deadline}{f.closedOn ? ` · ${f.closedOn} 复查通过` : ''}</span>
      {photos.length > 0 && <span class="finding-photos"> · 现场照片 {photos.map((p) => <a href={p.href} data-photo="">照片 {p.n}</a>)}</span>}
    </li>
  );
}

const GRADE_NAMES = { high: '高风险', medium: '中风险', low: '低风险' } as const;

/** Organisations due for inspection by their risk grade's frequency (most overdue first). */
function DueSection({ due }: { due: { items: DueInspectionView[]; total: number } }) {
  return (
    <section class="card" data-inspections-due=""><h2>应巡查主体（按风险等级频次）</h2>
      <p class="muted">从未巡查，或距上次巡查已超过其风险等级的巡查间隔（高风险 / 中风险 / 低风险 / 未分级，间隔见 /api/v1/inspections/frequency）。共 {due.total} 个。</p>
      <ul class="list">
        {due.items.length ? due.items.map((d) => (
          <li><a href={`/app/inspections/new?organizationId=${d.organizationId}`}>{d.organizationName || d.organizationId}</a>
            {' '}<span class={`tag${d.grade === 'high' ? ' bad' : ''}`}>{d.grade ? GRADE_NAMES[d.grade] : '未分级'}</span>
            <br /><span class="muted">{d.lastInspectedOn ? `上次巡查 ${d.lastInspectedOn} · 每 ${d.intervalMonths} 个月 · ${d.dueOn} 起应巡查` : `从未巡查 · 每 ${d.intervalMonths} 个月`}</span></li>
        )) : <li class="muted">没有到期应巡查的主体。</li>}
      </ul>
    </section>
  );
}

/** A regulator's 巡查 workspace: inspections due by risk grade, recent inspections of the jurisdiction and overdue findings. */
export function inspectionsPage(
  ctx: ConsoleContext, inspections: InspectionView[], overdue: FindingView[], names: Map<string, string>, due: { items: DueInspectionView[]; total: number } | null = null,
): string {
  return consolePage(
    <Shell ctx={ctx} title="巡查检查" active="inspections">
      <p><a class="button" href="/app/inspections/new">新建巡查记录</a></p>
      {due && <DueSection due={due} />}
      <div class="grid">
        <section class="card"><h2>逾期未整改</h2><ul class="list">
          {overdue.length ? overdue.map((f) => (
            <li><a href={`/app/inspections/${f.inspectionId}`}>{names.get(f.organizationId) ?? '主体'}</a>：<FindingLine f={f} /></li>
          )) : <li class="muted">没有逾期的问题。</li>}
        </ul></section>
        <section class="card"><h2>最近的巡查</h2><ul class="list">
          {inspections.length ? inspections.map((i) => (
            <li><a href={`/app/inspections/${i.id}`}>{i.organizationName ?? i.organizationId}</a> · {i.inspectedOn} · {i.inspectors.join('、')}
              {' '}· {i.findings.length ? `${i.findings.length} 个问题` : '未发现问题'}{i.reinspectionOf ? ' · 复查' : ''}</li>
          )) : <li class="muted">还没有巡查记录。</li>}
        </ul></section>
      </div>
    </Shell>,
  );
}

export interface InspectionFormData {
  organizations: [string, string][];
  templates: TemplateView[];
  template: TemplateView;
  openFindings: FindingView[];
  today: string;
}

/**
 * The inspection form, for a phone or tablet in the field: one column, large targets, every item
 * with its result and (when 不符合) the problem and its severity. Its script keeps the form in the
 * phone's storage under a key it generates (a reload or a lost connection loses nothing) and the
 * same key goes with the POST as its idempotency key (a retried submit records one inspection).
 */
export function inspectionFormPage(ctx: ConsoleContext, data: InspectionFormData, state: FormState, key: string, status = ''): string {
  const problems = state.problems;
  return consolePage(
    <Shell ctx={ctx} title="巡查检查记录" active="inspections" script={FORM_SCRIPT} sheet={FORM_SHEET}>
      {data.templates.length > 1 && (
        <p class="muted">检查表：{data.templates.map((t) => t.id === data.template.id
          ? <strong>{t.name}（第 {t.version} 版）</strong>
          : <a href={`/app/inspections/new?templateId=${t.id}`}>{t.name}（第 {t.version} 版）</a>)}</p>
      )}
      <p class="muted" data-draft-status="" role="status" aria-live="polite">{status}</p>
      <PostForm action="/app/inspections" csrf={ctx.csrf} submit="提交巡查记录" formKey={key} state={state} cls="card inspection-form">
        <input type="hidden" name="templateId" value={data.template.id} />
        <Select label="被检查主体" name="organizationId" state={state} required options={[['', '请选择'], ...data.organizations]} />
        <Input label="检查日期" name="inspectedOn" type="date" state={state} required attrs={{ max: data.today }} />
        <Input label="检查人员 1" name="inspector1" state={state} required attrs={{ autocomplete: 'name' }} />
        <Input label="检查人员 2" name="inspector2" state={state} />
        <fieldset class="f"><legend>{data.template.name}（第 {data.template.version} 版）</legend>
          {problems.fields.results && <p class="err" role="alert">{problems.fields.results}</p>}
          {data.template.items.map((item, n) => {
            const error = problems.fields[`item.${item.key}`];
            return (
              <div class="item" data-item={item.key}>
                <p><strong>{n + 1}. {item.text}</strong></p>
                <div class="choices">
                  {Object.entries(ITEM_RESULTS).map(([v, text]) => (
                    <label class="chk"><input type="radio" name={`result.${item.key}`} value={v} checked={value(state, `result.${item.key}`) === v} /> {text}</label>
                  ))}
                </div>
                <div class="finding">
                  <label class="f">发现的问题（不符合时填写）
                    <textarea name={`finding.${item.key}`} rows={2}>{value(state, `finding.${item.key}`)}</textarea></label>
                  <label class="f">严重程度
                    <select name={`severity.${item.key}`}>
                      {Object.entries(FINDING_SEVERITIES).map(([v, text]) => <option value={v} selected={value(state, `severity.${item.key}`) === v}>{text}</option>)}
                    </select></label>
                  <div class="photos" data-photos={item.key}>
                    {values(state, 'photo').filter((p) => p.startsWith(`${item.key}|`)).map((p) => <input type="hidden" name="photo" value={p} />)}
                    <label class="f">现场照片（整份记录最多 {PHOTO_MAX_FILES} 张，手机上压缩后上传）
                      <input type="file" accept="image/jpeg,image/png" capture="environment" multiple data-photo-input={item.key} /></label>
                  </div>
                </div>
                {error && <p class="err" role="alert">{error}</p>}
              </div>
            );
          })}
        </fieldset>
        {data.openFindings.length > 0 && (
          <fieldset class="f"><legend>复查：已整改的问题</legend>
            {data.openFindings.map((f) => {
              const checked = (Array.isArray(state.values.closeFindingIds) ? state.values.closeFindingIds : [state.values.closeFindingIds]).includes(f.id);
              return <label class="chk"><input type="checkbox" name="closeFindingIds" value={f.id} checked={checked} /> {f.itemText ?? '其他问题'}：{f.description}（期限 {f.deadline}）</label>;
            })}
          </fieldset>
        )}
        <Textarea label="备注" name="note" state={state} />
      </PostForm>
      <p><button type="button" data-draft-discard="" hidden>放弃本机草稿，重新填写</button></p>
    </Shell>,
  );
}

/** One inspection; `draftDone` tells the form script that this draft was recorded (it forgets it). */
export function inspectionPage(ctx: ConsoleContext, i: InspectionView, draftDone?: string): string {
  return consolePage(
    <Shell ctx={ctx} title="巡查检查记录" active="inspections" script={FORM_SCRIPT}>
      {draftDone && <p class="ok" role="status" data-draft-done={draftDone}>已提交，巡查记录已保存。</p>}
      <section class="card">
        <h2>{i.organizationName ?? i.organizationId}</h2>
        <p>{i.inspectedOn} · 检查人员 {i.inspectors.join('、')} · {i.template.name}（第 {i.template.version} 版）{i.reinspectionOf ? ' · 复查' : ''}</p>
        <ul class="list">{i.results.map((r) => <li><span class={`tag${r.result === 'fail' ? ' bad' : ''}`}>{r.resultName}</span> {r.itemText}</li>)}</ul>
        {i.note && <p>{i.note}</p>}
      </section>
      <section class="card"><h2>发现的问题</h2><ul class="list">
        {i.findings.length ? i.findings.map((f) => (
          <FindingLine f={f} photos={i.photos.flatMap((p, n) => (p.itemKey !== null && p.itemKey === f.itemKey ? [{ n: n + 1, href: `/app/inspections/${i.id}/photos/${n + 1}` }] : []))} />
        )) : <li class="muted">未发现问题。</li>}
      {i.photos.some((p) => p.itemKey === null) && (
        <p>现场照片：{i.photos.flatMap((p, n) => (p.itemKey === null ? [<a href={`/app/inspections/${i.id}/photos/${n + 1}`} data-photo="">照片 {n + 1}</a>] : []))}</p>
      )}
      </ul>
      {i.closedFindingIds.length > 0 && <p>本次复查确认整改 {i.closedFindingIds.length} 个问题。</p>}
      <p><a href={`/app/inspections/new?organizationId=${i.organizationId}`}>复查该主体</a></p>
      </section>
    </Shell>,
  );
}

/** The inspected organisation's 整改 section: open findings first, with their deadlines. */
export function findingsPage(ctx: ConsoleContext, open: FindingView[], closed: FindingView[], notice?: string): string {
  return consolePage(
    <Shell ctx={ctx} title="巡查整改" active="findings">
      <Flash message={notice} />
      <section class="card"><h2>待整改的问题</h2>
        <p class="muted">监管部门巡查发现的问题，请在整改期限内完成整改，等待复查。</p>
        <ul class="list">{open.length ? open.map((f) => <FindingLine f={f} />) : <li class="muted">没有待整改的问题。</li>}</ul>
      </section>
      <section class="card"><h2>已整改</h2>
        <ul class="list">{closed.length ? closed.map((f) => <FindingLine f={f} />) : <li class="muted">暂无。</li>}</ul>
      </section>
    </Shell>,
  );
}
