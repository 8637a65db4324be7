import { chinaDateTime } from '../../../../libs/codes/calendar-date';
import { RESIDUE_UNITS } from '../../limits/domain';
import type { CsvUploadReport, SampleDetail, SampleView } from '../../sampling';
import type { ConsoleContext } from '../console-auth.service';
import { consolePage, Flash, FormState, Input, Options, PostForm, Select, Shell, value } from './layout';
import { CameraScan } from './scan-parts';
import { Custody, lastCategory, Results, SampleLine, SampleStatus, streamText } from './sample-parts';

/** The lab's workspace: its queue of samples, receiving by scan, entering results, the CSV upload. */

export interface LabQueue {
  toCollect: SampleView[];
  toReceive: SampleView[];
  toTest: SampleView[];
  done: SampleView[];
}

function Queue({ title, items, empty }: { title: string; items: SampleView[]; empty: string }) {
  return (
    <section class="card"><h2>{title}（{items.length}）</h2>
      {items.length ? <ul class="list">{items.map((s) => <SampleLine s={s} href={`/app/lab/samples/${s.id}`} />)}</ul> : <p class="muted">{empty}</p>}
    </section>
  );
}

export function labPage(ctx: ConsoleContext, q: LabQueue, receive: FormState, notice?: string): string {
  return consolePage(
    <Shell ctx={ctx} title="样品检测" active="lab">
      <Flash message={notice} />
      <PostForm action="/app/lab/receive" csrf={ctx.csrf} submit="接收样品" state={receive}>
        <h2>接收样品</h2>
        <CameraScan target="sample-code" fallback="无法打开摄像头，请直接输入样品编号。" />
        <Input label="样品编号（扫描样品标签或手工输入）" name="code" state={receive} required
          attrs={{ id: 'sample-code', autocomplete: 'off', inputmode: 'numeric' }} />
      </PostForm>
      <p><a class="btn" href="/app/lab/results-csv">批量上传结果（CSV）</a>
        {q.toCollect.length + q.toReceive.length > 0 && <a class="btn" href="/app/lab/labels.pdf">打印待采样品标签（PDF）</a>}</p>
      <div class="grid">
        <Queue title="待录入结果" items={q.toTest} empty="没有已接收待检测的样品。" />
        <Queue title="待接收" items={q.toReceive} empty="没有在途的样品。" />
        <Queue title="待采样" items={q.toCollect} empty="没有待采样的任务。" />
        <Queue title="最近出结果" items={q.done} empty="还没有出结果的样品。" />
      </div>
    </Shell>,
  );
}

const DETECTED: Options = [['', '按数值判断'], ['true', '检出'], ['false', '未检出']];
const UNIT_OPTIONS: Options = RESIDUE_UNITS.map((u): [string, string] => [u, u]);

/** One row per analyte of the panel: value, unit, LOD, LOQ, detected. */
function ResultsForm({ ctx, s, state, formKey }: { ctx: ConsoleContext; s: SampleDetail; state: FormState; formKey: string }) {
  const rapid = s.stream === 'rapid_test';
  return (
    <PostForm action={`/app/lab/samples/${s.id}/results`} csrf={ctx.csrf} submit="提交检测结果" formKey={formKey} state={state}>
      <h2>录入检测结果</h2>
      <p class="muted">{rapid ? '快速检测只记录检出或未检出。' : '数值、检出限（LOD）和定量限（LOQ）用同一单位；未检出可只填检出限。提交后系统按限量标准判定。'}</p>
      {s.analytes.map((analyte, i) => (
        <fieldset class="f card">
          <legend>{analyte}</legend>
          <input type="hidden" name={`results[${i}].analyte`} value={analyte} />
          {!rapid && <>
            <Input label="检测值" name={`results[${i}].value`} state={state} attrs={{ inputmode: 'decimal' }} />
            <Select label="单位" name={`results[${i}].unit`} state={state} options={UNIT_OPTIONS} />
            <Input label="检出限（LOD）" name={`results[${i}].lod`} state={state} attrs={{ inputmode: 'decimal' }} />
            <Input label="定量限（LOQ）" name={`results[${i}].loq`} state={state} attrs={{ inputmode: 'decimal' }} />
          </>}
          <Select label="是否检出" name={`results[${i}].detected`} state={state} options={rapid ? DETECTED.slice(1) : DETECTED} />
        </fieldset>
      ))}
      <Input label="检测方法（标准）" name="method" state={state} placeholder="如 GB 23200.113-2018" />
    </PostForm>
  );
}

export interface LabSampleData {
  sample: SampleDetail;
  names: Map<string, string>;
}

export function labSamplePage(ctx: ConsoleContext, d: LabSampleData, forms: { collect: FormState; results: FormState; key: string }, notice?: string): string {
  const s = d.sample;
  return consolePage(
    <Shell ctx={ctx} title={`样品 ${s.sampleNo}`} active="lab">
      <Flash message={notice} />
      <section class="card">
        <p>状态 <SampleStatus s={s} />{s.recheckOf && <> <span class="tag warn">复检（留样）</span></>}</p>
        <p>{streamText(s.stream)} · {lastCategory(s.categoryPath)} · 下达单位 {d.names.get(s.issuerOrganizationId) ?? ''}<br />
          检测项目：{s.analytes.join('、')}</p>
        {s.collectedAt && <p class="muted">采样 {chinaDateTime(new Date(s.collectedAt))} · {s.place} · {s.sampler}</p>}
        <a class="btn" href={`/app/lab/samples/${s.id}/label.pdf`}>打印样品标签（PDF）</a>
      </section>
      {s.status === 'planned' && (
        <PostForm action={`/app/lab/samples/${s.id}/collect`} csrf={ctx.csrf} submit="记录采样" state={forms.collect}>
          <h2>记录采样</h2>
          <Input label="采样地点" name="place" state={forms.collect} required />
          <Input label="采样时间" name="collectedAt" type="datetime-local" state={forms.collect} required />
          <Input label="采样人" name="sampler" state={forms.collect} required />
        </PostForm>
      )}
      {s.status === 'collected' && (
        <PostForm action={`/app/lab/samples/${s.id}/receive`} csrf={ctx.csrf} submit="确认接收样品" state={forms.collect}>
          <h2>接收</h2><p class="muted">核对样品标签和封条完好后确认接收。</p>
        </PostForm>
      )}
      {s.status === 'received' && <ResultsForm ctx={ctx} s={s} state={forms.results} formKey={forms.key} />}
      {(s.status === 'tested' || s.status === 'judged') && (
        <section class="card"><h2>检测结果与判定</h2>
          {s.status === 'judged' && <p>样品判定：<SampleStatus s={s} />{s.judgedOn && <span class="muted"> {s.judgedOn}</span>}</p>}
          {s.status === 'tested' && <p class="muted">结果已提交，系统正在按限量标准判定，请稍后刷新。</p>}
          <Results s={s} />
          {s.replacedBy && <p class="muted">该样品的结论已被复检结论替代。</p>}
        </section>
      )}
      <section class="card"><h2>流转记录</h2><Custody s={s} names={d.names} /></section>
      <p><a href="/app/lab">返回样品列表</a></p>
    </Shell>,
  );
}

export function resultsCsvPage(ctx: ConsoleContext, state: FormState, report: CsvUploadReport | null): string {
  return consolePage(
    <Shell ctx={ctx} title="批量上传检测结果" active="lab">
      {report && (
        <section class="card" role="status"><h2>上传结果</h2>
          <p>接收 {report.accepted.samples} 个样品（{report.accepted.results} 条结果）· 重复提交 {report.duplicates.samples} 个 ·
            退回 {report.rejected.samples} 个样品（{report.rejected.rows} 行）</p>
          {report.problems.length > 0 && (
            <div class="scroll"><table>
              <thead><tr><th>行</th><th>列</th><th>问题</th></tr></thead>
              <tbody>{report.problems.map((p) => <tr><td>{p.row}</td><td>{p.column ?? ''}</td><td>{p.code} · {p.message}</td></tr>)}</tbody>
            </table>{report.truncated && <p class="muted">只列出前 {report.problems.length} 个问题（共 {report.problemCount} 个）。</p>}</div>
          )}
        </section>
      )}
      <PostForm action="/app/lab/results-csv" csrf={ctx.csrf} submit="上传" state={state}>
        <p class="muted">列：sample_no,analyte,value,unit,lod,loq,detected,method。一个样品的某一行有问题时，该样品整个退回，其他样品照常接收；逐行问题列在上方。</p>
        <label class="f"><span>选择 CSV 文件</span><input type="file" accept=".csv,text/csv" data-into="#results-csv" /></label>
        <label class="f"><span>或粘贴 CSV 内容</span>
          <textarea id="results-csv" name="csv" rows={8} {...(state.problems.fields.csv ? { 'aria-invalid': 'true' } : {})}>{value(state, 'csv')}</textarea>
          {state.problems.fields.csv && <p class="err" data-field="csv">{state.problems.fields.csv}</p>}</label>
      </PostForm>
      <p><a href="/app/lab">返回样品列表</a></p>
    </Shell>,
  );
}
