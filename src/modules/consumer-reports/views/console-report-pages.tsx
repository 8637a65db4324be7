import { chinaDateTime } from '../../../../libs/codes/calendar-date';
import type { ConsoleContext, FormState } from '../../console';
import { consolePage, Flash, PostForm, Select, Shell, Textarea } from '../../console';
import type { ConsumerReportView, ReplyFigures, ReportAlertView } from '../consumer-reports.service';
import { REPORT_STATUSES, TRIAGE_STATUSES } from '../domain/report-rules';

const when = (iso: string) => chinaDateTime(new Date(iso));
const STATUS_FILTERS: [string, string][] = [['', '全部'], ...Object.entries(REPORT_STATUSES)];

function isRegulator(ctx: ConsoleContext): boolean {
  return ctx.actor.role === 'regulator';
}

/** Producers answer (org_admin, operator); regulators triage. A role sees only the form it may submit. */
function mayReply(ctx: ConsoleContext, r: ConsumerReportView): boolean {
  return (ctx.actor.role === 'org_admin' || ctx.actor.role === 'operator') && ctx.actor.organizationId === r.organizationId;
}

export interface ReportListData {
  reports: ConsumerReportView[];
  status: string;
  alerts: ReportAlertView[];
  figures: ReplyFigures | null;
  nextHref: string | null;
}

/** 问题反馈: the producer's reports on its batches, or the regulator's triage queue of its region. */
export function reportListPage(ctx: ConsoleContext, d: ReportListData): string {
  const regulator = isRegulator(ctx);
  return consolePage(
    <Shell ctx={ctx} title={regulator ? '问题反馈 · 分办队列' : '问题反馈'} active="reports">
      <section class="card">
        <p class="muted">{regulator
          ? '本辖区消费者扫码提交的反馈：核实后标记为“处理中”或“已办结”，并写明处理情况（反馈人可见）。'
          : '消费者扫描本单位产品追溯码后提交的反馈。答复只显示在反馈人保留的反馈页面上。'}</p>
        {d.figures && <p id="reply-figures">近 90 天：反馈 {d.figures.reports} 条，已答复 {d.figures.replied} 条
          {d.figures.medianReplyHours !== null && <>，答复时间中位数 {d.figures.medianReplyHours} 小时</>}。</p>}
        <p>{STATUS_FILTERS.map(([value, text]) => (
          <a href={value ? `/app/reports?status=${value}` : '/app/reports'} aria-current={d.status === value ? 'page' : undefined} class="filter">{text} </a>
        ))}</p>
      </section>
      {d.alerts.length > 0 && <section class="card" id="report-alerts"><h2>疑似假冒预警</h2><ul class="list">
        {d.alerts.map((a) => <li>{when(a.createdAt)} · 追溯码 {a.code}：{a.windowDays} 天内 {a.clients} 个不同客户端反馈</li>)}
      </ul></section>}
      <section class="card">{d.reports.length === 0 ? <p class="muted">没有反馈。</p> : <div class="scroll"><table>
        <thead><tr><th>时间</th><th>追溯码</th><th>类型</th><th>内容</th><th>状态</th><th>答复</th></tr></thead>
        <tbody>{d.reports.map((r) => <tr>
          <td><a href={`/app/reports/${r.id}`}>{when(r.createdAt)}</a></td><td>{r.code}</td><td>{r.categoryName}</td>
          <td>{r.text.length > 40 ? `${r.text.slice(0, 40)}…` : r.text}</td><td>{r.statusName}</td><td>{r.reply ? '已答复' : '未答复'}</td>
        </tr>)}</tbody>
      </table></div>}
      {d.nextHref && <p><a href={d.nextHref}>下一页</a></p>}</section>
    </Shell>,
  );
}

export interface ReportFormStates {
  reply: FormState;
  triage: FormState;
}

export function reportPage(ctx: ConsoleContext, r: ConsumerReportView, states: ReportFormStates, notice?: string): string {
  return consolePage(
    <Shell ctx={ctx} title="问题反馈详情" active="reports">
      <Flash message={notice} />
      <section class="card" id="report"><dl>
        <dt>时间</dt><dd>{when(r.createdAt)}</dd>
        <dt>追溯码</dt><dd><a href={`/t/${r.code}`}>{r.code}</a></dd>
        <dt>类型</dt><dd>{r.categoryName}</dd>
        <dt>内容</dt><dd>{r.text}</dd>
        <dt>照片</dt><dd>{r.photos.length === 0 ? (r.personalDataDeletedAt ? '已按期删除' : '无') : r.photos.map((_p, i) => <a href={`/app/reports/${r.id}/photos/${i + 1}`}>照片 {i + 1} </a>)}</dd>
        <dt>手机号</dt><dd>{r.phone ?? (r.personalDataDeletedAt ? '已按期删除' : '未留')}{r.phone && <span class="muted">（反馈人同意提供；{when(r.retainUntil)} 自动删除）</span>}</dd>
        <dt>状态</dt><dd>{r.statusName}</dd>
        {r.triageNote && <><dt>处理情况</dt><dd>{r.triageNote}</dd></>}
        <dt>生产者答复</dt><dd>{r.reply ?? '未答复'}{r.repliedAt && <span class="muted">（{when(r.repliedAt)}）</span>}</dd>
      </dl></section>
      {mayReply(ctx, r) && <PostForm action={`/app/reports/${r.id}/reply`} csrf={ctx.csrf} submit={r.reply ? '修改答复' : '答复'} state={states.reply}>
        <Textarea label="答复反馈人（只显示在反馈人的反馈页面上）" name="text" state={states.reply} required />
      </PostForm>}
      {isRegulator(ctx) && <PostForm action={`/app/reports/${r.id}/triage`} csrf={ctx.csrf} submit="保存处理情况" state={states.triage}>
        <Select label="状态" name="status" state={states.triage} options={TRIAGE_STATUSES.map((s) => [s, REPORT_STATUSES[s]])} required />
        <Textarea label="处理情况（生产者和反馈人可见）" name="note" state={states.triage} required />
      </PostForm>}
      <p><a href="/app/reports">返回列表</a></p>
    </Shell>,
  );
}
