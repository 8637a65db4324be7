import type { BatchView } from '../../batches';
import type { ConsoleContext } from '../console-auth.service';
import { consolePage, FormState, Input, Options, PostForm, Select, Shell, StatusTag } from './layout';
import { Qty } from './parts';

/** A producer's own steps on one batch: its self-tests (自行检测) and putting it on hold or back on sale. */

export const SELF_STREAMS: Options = [['self_test', '自行检测'], ['rapid_test', '快速检测（速测卡、速测仪）'], ['entrusted_test', '委托检测（检测机构报告）']];
export const TEST_ROWS = 6;
const DETECTED: Options = [['false', '未检出'], ['true', '检出']];
const VERDICTS: Options = [['pass', '合格'], ['fail', '不合格']];
const UNITS: Options = [['mg/kg', 'mg/kg'], ['µg/kg', 'µg/kg']];

export function newTestPage(ctx: ConsoleContext, b: BatchView, suggested: string[], state: FormState, key: string): string {
  return consolePage(
    <Shell ctx={ctx} title={`录入检测结果 · ${b.product.name} ${b.lotCode}`} active="batches">
      <PostForm action={`/app/batches/${b.id}/tests`} csrf={ctx.csrf} submit="保存检测记录" formKey={key} state={state}>
        <Select label="检测方式" name="stream" state={state} options={SELF_STREAMS} />
        <Input label="检测日期" name="testedOn" type="date" state={state} required />
        <Input label="检测人或检测机构" name="testerName" state={state} hint="委托检测时必填检测机构名称" />
        <Input label="报告编号" name="reportNo" state={state} />
        <Input label="检测方法" name="method" state={state} placeholder="如 GB/T 5009.199-2003 速测卡法" />
        <p class="muted">{suggested.length
          ? `检测项目已按该批次的农事记录（用什么药、检什么药）填好：${suggested.join('、')}；可增改。`
          : '该批次没有农事用药记录可参考，请填写实际检测的项目。'}</p>
        {Array.from({ length: Math.max(TEST_ROWS, suggested.length) }, (_, i) => (
          <fieldset class="f card"><legend>项目 {i + 1}</legend>
            <Input label="检测项目" name={`results[${i}].analyte`} state={state} />
            <Select label="结果" name={`results[${i}].detected`} state={state} options={DETECTED} />
            <Input label="检测值（检出时）" name={`results[${i}].value`} state={state} attrs={{ inputmode: 'decimal' }} />
            <Input label="检出限" name={`results[${i}].lod`} state={state} attrs={{ inputmode: 'decimal' }} />
            <Select label="单位" name={`results[${i}].unit`} state={state} options={UNITS} />
            <Select label="判定" name={`results[${i}].verdict`} state={state} options={VERDICTS} />
          </fieldset>
        ))}
      </PostForm>
      <p><a href={`/app/batches/${b.id}`}>返回批次</a></p>
    </Shell>,
  );
}

export function statusPage(ctx: ConsoleContext, b: BatchView, state: FormState): string {
  const held = b.status === 'on_hold';
  return consolePage(
    <Shell ctx={ctx} title={`${held ? '解除暂停' : '暂停销售'} · ${b.product.name} ${b.lotCode}`} active="batches">
      <section class="card"><p>状态 <StatusTag status={b.status} />{b.statusReason && <> <span class="muted">{b.statusReason}</span></>}</p>
        <p><Qty q={b.quantity} /> · 生产日期 {b.producedOn}</p></section>
      {b.status === 'active' && (
        <PostForm action={`/app/batches/${b.id}/status`} csrf={ctx.csrf} submit="暂停销售" state={state} cls="card danger-form"
          confirm={`确认暂停 ${b.product.name} 批号 ${b.lotCode}？暂停期间不能打印标签或开具合格证。`}>
          <input type="hidden" name="status" value="on_hold" />
          <Input label="暂停原因" name="reason" state={state} required placeholder="如：自检发现疑似超标，等待复检" />
        </PostForm>
      )}
      {held && (
        <PostForm action={`/app/batches/${b.id}/status`} csrf={ctx.csrf} submit="解除暂停，恢复销售" state={state}>
          <input type="hidden" name="status" value="active" />
          <p class="muted">抽检不合格的批次须先完成处置登记才能解除暂停。</p>
          <Input label="说明" name="reason" state={state} placeholder="如：复检合格" />
        </PostForm>
      )}
      {b.status !== 'active' && !held && <p class="muted">该批次已{b.status === 'recalled' ? '召回' : '关闭'}，不能再变更。</p>}
      <p><a href={`/app/batches/${b.id}`}>返回批次</a></p>
    </Shell>,
  );
}
