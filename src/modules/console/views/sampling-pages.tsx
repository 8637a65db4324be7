import { chinaDateTime } from '../../../../libs/codes/calendar-date';
import type { BatchView } from '../../batches';
import type { CertificateView } from '../../certificates';
import type { OrganizationSummary } from '../../organizations';
import type { RoundView, SampleDetail, SampleView, SamplingPlan } from '../../sampling';
import type { ConsoleContext } from '../console-auth.service';
import { Checkboxes, consolePage, EMPTY_FORM, Flash, FormState, Input, Options, PostForm, Select, Shell, StatusTag, Textarea } from './layout';
import { Qty } from './parts';
import { SICHUAN_REGIONS } from '../console-regions';
import { isWithinRegion } from '../../regions/domain';
import { Custody, lastCategory, Results, SampleLine, SampleStatus, streamText } from './sample-parts';

/** The regulator's workspace: sampling plans, rounds, samples and their custody, rechecks; holds, recalls and voids. */

const CADENCE_TEXT: Record<string, string> = { once: '一次', monthly: '每月', quarterly: '每季度' };
export const PLAN_STREAMS: Options = [['routine_monitoring', '例行监测'], ['supervisory_sampling', '监督抽查'], ['rapid_test', '快速检测']];
export const QUOTA_ROWS = 5;

export function samplingPage(ctx: ConsoleContext, plans: SamplingPlan[], rechecks: SampleView[], recent: SampleView[], notice?: string): string {
  return consolePage(
    <Shell ctx={ctx} title="抽检计划" active="sampling">
      <Flash message={notice} />
      <a class="btn" href="/app/sampling/plans/new">新建抽检计划</a>
      {rechecks.length > 0 && (
        <section class="card"><h2>待处理的复检（{rechecks.length}）</h2>
          <p class="muted">复检尚未采纳、也未不予采纳的样品：出具结论后可采纳；不予采纳须写明理由。</p>
          <ul class="list">{rechecks.map((s) => <SampleLine s={s} href={`/app/sampling/samples/${s.id}`} />)}</ul></section>
      )}
      <section class="card"><h2>计划</h2>
        {plans.length ? <ul class="list">{plans.map((p) => (
          <li><a href={`/app/sampling/plans/${p.id}`}>{p.name}</a><br />
            <span class="muted">{streamText(p.stream)} · {CADENCE_TEXT[p.cadence] ?? p.cadence} · {p.periodFrom} 至 {p.periodTo} · 区划 {p.regionCode}</span></li>
        ))}</ul> : <p class="muted">还没有抽检计划。</p>}
      </section>
      <section class="card"><h2>最近的样品</h2>
        {recent.length ? <ul class="list">{recent.map((s) => <SampleLine s={s} href={`/app/sampling/samples/${s.id}`} />)}</ul> : <p class="muted">还没有样品。</p>}
      </section>
    </Shell>,
  );
}

/** The regions a regulator's plan may cover, by full name: its jurisdiction within Sichuan. */
function jurisdictionRegions(ctx: ConsoleContext): [string, string][] {
  const code = ctx.actor.regionCode;
  return code ? SICHUAN_REGIONS.filter(([c]) => isWithinRegion(c, code)) : SICHUAN_REGIONS;
}

/** The plan form, for a new plan or (with `plan`) changing one; `quotaRows` rows of quotas are shown. */
export function newPlanPage(ctx: ConsoleContext, labs: OrganizationSummary[], state: FormState, key: string,
  edit?: { plan: SamplingPlan; quotaRows: number }): string {
  const rows = edit?.quotaRows ?? QUOTA_ROWS;
  return consolePage(
    <Shell ctx={ctx} title={edit ? `修改计划 · ${edit.plan.name}` : '新建抽检计划'} active="sampling">
      {!labs.length && <p class="err general">平台上还没有检测机构，计划需要至少一家承检实验室。</p>}
      {edit && <p class="muted">已抽取的各期任务不变；修改从下一次抽取起生效。</p>}
      <PostForm action={edit ? `/app/sampling/plans/${edit.plan.id}` : '/app/sampling/plans'} csrf={ctx.csrf} submit={edit ? '保存修改' : '创建计划'}
        formKey={edit ? undefined : key} state={state}>
        <Input label="计划名称" name="name" state={state} required placeholder="如 2026 年蒲江县猕猴桃例行监测" />
        <Select label="类别" name="stream" state={state} options={PLAN_STREAMS} />
        <Input label="计划区域" name="regionCode" state={state} required list="plan-regions" attrs={{ autocomplete: 'off' }}
          hint="输入地名搜索并选择本机关辖区内的市（州）或县，如“蒲江”；也可填 6 位行政区划代码" />
        <datalist id="plan-regions">{jurisdictionRegions(ctx).map(([, name]) => <option value={name} />)}</datalist>
        <Select label="频次" name="cadence" state={state} options={Object.entries(CADENCE_TEXT)} />
        <Input label="开始日期" name="periodFrom" type="date" state={state} required />
        <Input label="结束日期" name="periodTo" type="date" state={state} required />
        <Textarea label="抽检品种（食品类别）" name="categories" state={state} required hint="每行一个，如：水果 或 猕猴桃" />
        <Textarea label="检测项目" name="analytes" state={state} required hint="用逗号、顿号或换行分隔，如：毒死蜱、克百威" />
        <fieldset class="f"><legend>任务数（按县和品种）</legend>
          {Array.from({ length: rows }, (_, i) => (
            <div class="grid">
              <Input label={`县（区）${i + 1}`} name={`quotas[${i}].county`} state={state} list="plan-regions" attrs={{ autocomplete: 'off' }} />
              <Input label="品种" name={`quotas[${i}].category`} state={state} />
              <Input label="每期批次数" name={`quotas[${i}].count`} state={state} attrs={{ inputmode: 'numeric' }} />
            </div>
          ))}
          <small>至少填一行；品种须是上面的抽检品种或其下级类别。</small>
        </fieldset>
        <Checkboxes label="承检实验室" name="labOrganizationIds" state={state} options={labs.map((l): [string, string] => [l.id, l.name])} />
      </PostForm>
    </Shell>,
  );
}

export interface PlanDetail {
  plan: SamplingPlan;
  rounds: RoundView[];
  samples: SampleView[];
  labs: Map<string, string>;
}

export function planPage(ctx: ConsoleContext, d: PlanDetail, draw: FormState, notice?: string): string {
  const p = d.plan;
  const mine = p.issuerOrganizationId === ctx.organization.id;
  return consolePage(
    <Shell ctx={ctx} title={p.name} active="sampling">
      <Flash message={notice} />
      <section class="card">
        <p>{streamText(p.stream)} · {CADENCE_TEXT[p.cadence] ?? p.cadence} · {p.periodFrom} 至 {p.periodTo} · 区划 {p.regionCode}</p>
        <p>品种：{p.categories.map(lastCategory).join('、')}<br />检测项目：{p.analytes.join('、')}<br />
          承检实验室：{p.labOrganizationIds.map((id) => d.labs.get(id) ?? id).join('、')}</p>
        <div class="scroll"><table><thead><tr><th>县</th><th>品种</th><th>每期批次数</th></tr></thead>
          <tbody>{p.quotas.map((q) => <tr><td>{q.county}</td><td>{lastCategory(q.category)}</td><td>{q.count}</td></tr>)}</tbody></table></div>
      </section>
      {mine && <p><a class="btn" href={`/app/sampling/plans/${p.id}/edit`}>修改计划（任务数、实验室等）</a></p>}
      {mine && (
        <PostForm action={`/app/sampling/plans/${p.id}/rounds`} csrf={ctx.csrf} submit="抽取本期样品" state={draw}>
          <h2>抽取一期</h2>
          <p class="muted">按随机种子从辖区在售批次中抽取；同一期再次抽取得到同一批任务。</p>
          <Input label="期内任一日期" name="on" type="date" state={draw} required />
        </PostForm>
      )}
      <section class="card"><h2>各期</h2>
        {d.rounds.length ? <ul class="list">{d.rounds.map((r) => (
          <li>{r.periodKey}（{r.periodFrom} 至 {r.periodTo}）· 任务 {r.taskCount} 个 · 种子 <code>{r.seed}</code>
            {r.draws.filter((x) => x.drawn < x.wanted).map((x) => <><br /><span class="tag warn">{x.county} {lastCategory(x.category)}：要 {x.wanted}，仅 {x.candidates} 个候选批次</span></>)}</li>
        ))}</ul> : <p class="muted">还没有抽取。</p>}
      </section>
      <section class="card"><h2>样品（{d.samples.length}）</h2>
        {d.samples.length > 0 && <p><a class="btn" href={`/app/sampling/plans/${p.id}/labels.pdf`}>打印待采样品标签（PDF）</a></p>}
        {d.samples.length ? <ul class="list">{d.samples.map((s) => <SampleLine s={s} href={`/app/sampling/samples/${s.id}`} />)}</ul> : <p class="muted">抽取后在这里跟踪每个样品的流转。</p>}
      </section>
    </Shell>,
  );
}

export function regulatorSamplePage(ctx: ConsoleContext, s: SampleDetail, names: Map<string, string>, accept: FormState, notice?: string, refuse: FormState = EMPTY_FORM): string {
  const undecided = !!s.recheckOf && !s.acceptedAt && !s.refusedAt;
  const awaiting = undecided && s.status === 'judged';
  return consolePage(
    <Shell ctx={ctx} title={`样品 ${s.sampleNo}`} active="sampling">
      <Flash message={notice} />
      <section class="card">
        <p>状态 <SampleStatus s={s} />{s.recheckOf && <> <span class="tag warn">复检</span> <a href={`/app/sampling/samples/${s.recheckOf}`}>原样品</a></>}
          {s.replacedBy && <> · 结论已被<a href={`/app/sampling/samples/${s.replacedBy}`}>复检</a>替代</>}</p>
        <p>{streamText(s.stream)} · {lastCategory(s.categoryPath)} · 承检 {names.get(s.labOrganizationId) ?? ''} · 被抽检单位 {names.get(s.organizationId) ?? ''}<br />
          检测项目：{s.analytes.join('、')}</p>
        <p><a href={`/app/supervision/batches/${s.batchId}`}>被抽检批次的监管处置</a></p>
      </section>
      {awaiting && (
        <PostForm action={`/app/sampling/samples/${s.id}/accept`} csrf={ctx.csrf} submit="采纳复检结论" state={accept}>
          <h2>复检结论</h2>
          <p>复检判定为 <SampleStatus s={s} />。采纳后以复检结论替代原结论；不予采纳则原结论继续有效。</p>
        </PostForm>
      )}
      {s.refusedAt && <section class="card"><h2>复检不予采纳</h2><p>{chinaDateTime(new Date(s.refusedAt))} · 理由：{s.refusalReason}</p><p class="muted">原样品的结论继续有效。</p></section>}
      {undecided && (
        <PostForm action={`/app/sampling/samples/${s.id}/refuse`} csrf={ctx.csrf} submit="不予采纳复检" state={refuse} cls="card danger-form"
          confirm={`确认不予采纳复检 ${s.sampleNo}？原结论将继续有效，且不能撤销。`}>
          <h2>不予采纳</h2>
          <Textarea label="理由" name="reason" state={refuse} required hint="必填，2–300 字，如：留样已过保存期限" />
        </PostForm>
      )}
      <section class="card"><h2>检测结果</h2><Results s={s} /></section>
      <section class="card"><h2>流转记录</h2><Custody s={s} names={names} /></section>
    </Shell>,
  );
}

export const RECALL_GRADES: Options = [['', '不分级'], ['1', '一级（24 小时内启动）'], ['2', '二级（48 小时内启动）'], ['3', '三级（72 小时内启动）']];

export interface SupervisionData {
  batch: BatchView;
  producer: string;
  certificates: CertificateView[];
  samples: SampleView[];
  labs: OrganizationSummary[];
  suggested: string[];
}

export interface SupervisionForms {
  hold: FormState;
  recall: FormState;
  sample: FormState;
  voids: Record<string, FormState>;
  key: string;
}

export function supervisionPage(ctx: ConsoleContext, d: SupervisionData, f: SupervisionForms, notice?: string): string {
  const b = d.batch;
  return consolePage(
    <Shell ctx={ctx} title={`监管处置 · ${b.product.name} ${b.lotCode}`} active="batches">
      <Flash message={notice} />
      <section class="card">
        <p>状态 <StatusTag status={b.status} />{b.statusReason && <> <span class="muted">{b.statusReason}</span></>}</p>
        <p>{d.producer} · <Qty q={b.quantity} /> · 生产日期 {b.producedOn} · 追溯码 <code>{b.traceCode}</code></p>
        <p><a href={`/app/batches/${b.id}`}>批次详情</a></p>
      </section>
      {d.samples.length > 0 && <section class="card"><h2>该批次的样品</h2>
        <ul class="list">{d.samples.map((s) => <SampleLine s={s} href={`/app/sampling/samples/${s.id}`} />)}</ul></section>}
      <PostForm action={`/app/supervision/batches/${b.id}/samples`} csrf={ctx.csrf} submit="下达抽检任务" formKey={f.key} state={f.sample}>
        <h2>对该批次抽样</h2>
        <Select label="类别" name="stream" state={f.sample} options={PLAN_STREAMS} />
        <Select label="承检实验室" name="labOrganizationId" state={f.sample} required options={[['', '请选择'], ...d.labs.map((l): [string, string] => [l.id, l.name])]} />
        <Textarea label="检测项目" name="analytes" state={f.sample} required
          hint={d.suggested.length ? `按该批次的农事记录（用什么药、检什么药）建议：${d.suggested.join('、')}` : '用逗号、顿号或换行分隔'} />
      </PostForm>
      {b.status === 'active' && (
        <PostForm action={`/app/supervision/batches/${b.id}/hold`} csrf={ctx.csrf} submit="暂停销售" state={f.hold} cls="card danger-form"
          confirm={`确认暂停 ${b.product.name} 批号 ${b.lotCode} 的销售？`}>
          <h2>暂停</h2>
          <p class="muted">暂停后不能再打印标签或开具合格证；生产者处置完成后解除。</p>
          <Input label="暂停原因" name="reason" state={f.hold} required />
        </PostForm>
      )}
      {b.status !== 'recalled' && (
        <PostForm action={`/app/supervision/batches/${b.id}/recall`} csrf={ctx.csrf} submit="召回批次" state={f.recall} cls="card danger-form"
          confirm={`确认召回 ${b.product.name} 批号 ${b.lotCode} 及其下游所有批次？召回不可撤销。`}>
          <h2>召回</h2>
          <p class="muted">召回该批次及由它收购、混装、分装的所有下游批次，作废其合格证并通知相关单位。</p>
          <Input label="召回原因" name="reason" state={f.recall} required />
          <Select label="召回级别" name="grade" state={f.recall} options={RECALL_GRADES} />
        </PostForm>
      )}
      <section class="card"><h2>合格证</h2>
        {d.certificates.length ? <ul class="list">{d.certificates.map((c) => (
          <li>{c.number} <StatusTag status={c.status} /> <span class="muted">{c.issuer.name} · <Qty q={c.quantity} /> · {c.issuedOn}</span>
            {c.voided && <><br /><span class="muted">作废原因：{c.voided.reason}</span></>}
            {c.status === 'valid' && <VoidForm ctx={ctx} c={c} state={f.voids[c.id]} />}</li>
        ))}</ul> : <p class="muted">该批次没有合格证。</p>}
      </section>
    </Shell>,
  );
}

function VoidForm({ ctx, c, state }: { ctx: ConsoleContext; c: CertificateView; state?: FormState }) {
  const s = state ?? EMPTY_FORM;
  return (
    <PostForm action={`/app/supervision/certificates/${c.id}/void`} csrf={ctx.csrf} submit="作废合格证" state={s} cls="danger-form"
      confirm={`确认作废合格证 ${c.number}？作废不可撤销。`}>
      <Input label="作废原因" name="reason" state={s} required />
    </PostForm>
  );
}

export function recallDonePage(ctx: ConsoleContext, batch: BatchView, r: { lotCount: number; recalledLotCount: number; affected: number; report: string; deadline: string | null }): string {
  return consolePage(
    <Shell ctx={ctx} title="已召回" active="batches">
      <p class="ok" role="status">已召回 {batch.product.name} 批号 {batch.lotCode}：涉及 {r.lotCount} 个批次（{r.recalledLotCount} 个已标记召回），通知 {r.affected} 个单位。</p>
      {r.deadline && <p>完成期限：{r.deadline}</p>}
      <p><a class="btn" href={r.report}>召回报告</a><a class="btn" href={`/app/supervision/batches/${batch.id}`}>返回批次</a></p>
      <p class="muted">{chinaDateTime(new Date())}</p>
    </Shell>,
  );
}
