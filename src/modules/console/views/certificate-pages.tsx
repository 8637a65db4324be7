import type { BatchView } from '../../batches';
import type { CollectionView, CertificateView } from '../../certificates';
import type { TestRecordView } from '../../test-records';
import type { ConsoleContext } from '../console-auth.service';
import { Checkboxes, consolePage, FieldError, Flash, FormState, Input, Options, PostForm, Select, Shell, StatusTag, Textarea, value } from './layout';
import { CertLine, Qty, UNITS } from './parts';

/** 承诺达标合格证: the list, issuing (a producer's basis or a purchaser's upstream certificates), one certificate. */

const BASIS_2026: Options = [['quality_control', '质量安全控制符合要求'], ['self_test', '自行检测合格'], ['entrusted_test', '委托检测合格']];

export function certificatesPage(ctx: ConsoleContext, certs: CertificateView[]): string {
  return consolePage(
    <Shell ctx={ctx} title="合格证" active="certificates">
      <p class="muted">在批次页面点“开具合格证”。</p>
      <section class="card">{certs.length ? <ul class="list">{certs.map((c) => <CertLine c={c} />)}</ul> : <p class="muted">还没有合格证。</p>}</section>
    </Shell>,
  );
}

/** A producer's basis: the commitment ticks, the quality-control measures, passing tests, inputs used. */
function ProducerBasis({ state, tests, batchId }: { state: FormState; tests: TestRecordView[]; batchId: string }) {
  const testOptions = tests.filter((t) => t.verdict === 'pass')
    .map((t): [string, string] => [t.id, `${t.testedOn} ${t.testerKind === 'lab' ? '委托检测' : '自行检测'}${t.reportNo ? ` ${t.reportNo}` : ''}`]);
  return <>
    <Checkboxes label="承诺依据" name="basis" state={state} options={BASIS_2026} />
    <Textarea label="质量安全控制措施" name="evidence.qualityControl" state={state} hint="勾选“质量安全控制符合要求”时必填" />
    {testOptions.length
      ? <Checkboxes label="检测记录" name="evidence.testRecordIds" state={state} options={testOptions} />
      // No tests to tick: the refusal of a test basis still needs a place to be shown.
      : <><p class="muted">该批次还没有合格的检测记录。勾选“自行检测合格”或“委托检测合格”前，请先<a href={`/app/batches/${batchId}/tests/new`}>录入检测结果</a>。</p>
        <FieldError state={state} name="evidence.testRecordIds" /></>}
    <Input label="实际使用的农药兽药" name="evidence.inputsUsed" state={state} hint="多个用逗号分隔，可不填" />
  </>;
}

/** A purchaser's basis: the upstream certificates it checked on collection (收购、混装或分装的来源). */
function PurchaserBasis({ state, collections }: { state: FormState; collections: CollectionView[] }) {
  const options = collections.filter((c) => c.outcome === 'accepted').map((c): [string, string] => [c.id,
    `${c.certificate?.number ?? c.otherProof?.reference ?? ''} · ${c.certificate?.productName ?? ''} ${c.quantity ? `${c.quantity.value} ${c.quantity.unit}` : ''}`]);
  return <Checkboxes label="已查验的上游合格证（收购、混装或分装的来源）" name="upstreamCollectionIds" state={state} options={options} />;
}

export function issuePage(ctx: ConsoleContext, b: BatchView, purchaser: boolean, tests: TestRecordView[], collections: CollectionView[], state: FormState, key: string,
  replaces?: CertificateView): string {
  const unitState = { ...state, values: { ...state.values, 'quantity.unit': value(state, 'quantity.unit') || b.quantity.unit } };
  return consolePage(
    <Shell ctx={ctx} title={`${replaces ? '重新开具' : '开具'}合格证 · ${b.product.name} ${b.lotCode}`} active="certificates">
      {replaces && <p class="muted">替代已作废的合格证 {replaces.number}（作废原因：{replaces.voided?.reason}）。</p>}
      <PostForm action={replaces ? `/app/certificates/${replaces.id}/reissue` : '/app/certificates'} csrf={ctx.csrf}
        submit={replaces ? '重新开具合格证' : '开具合格证'} formKey={key} state={state}>
        <input type="hidden" name="batchId" value={b.id} />
        {purchaser ? <PurchaserBasis state={state} collections={collections} /> : <ProducerBasis state={state} tests={tests} batchId={b.id} />}
        <Input label="数量" name="quantity.value" state={state} attrs={{ inputmode: 'decimal' }}
          hint={`不填则为批次剩余未开证数量（批次共 ${b.quantity.value} ${b.quantity.unit}）`} />
        <Select label="单位" name="quantity.unit" state={unitState} options={UNITS} />
        <Input label="签名" name="signedBy" state={state} />
        <Input label="联系电话" name="contact" state={state} attrs={{ inputmode: 'tel' }} />
      </PostForm>
    </Shell>,
  );
}

const PDF_LAYOUTS: [string, string][] = [['label-60x80', '60 × 80 mm 标签'], ['a4', 'A4'], ['combined-60x80', '证码合一 60 × 80 mm']];

export function certificatePage(ctx: ConsoleContext, c: CertificateView, voidState: FormState, notice?: string): string {
  return consolePage(
    <Shell ctx={ctx} title={`合格证 ${c.number}`} active="certificates">
      <Flash message={notice} />
      <section class="card">
        <p>状态 <StatusTag status={c.status} />{c.voided && <> <span class="muted">作废原因：{c.voided.reason}</span></>}</p>
        <p>{c.productName} · <Qty q={c.quantity} /> · 产地 {c.origin}<br />开具日期 {c.issuedOn} · 开具方 {c.issuer.name}</p>
        <p><a href={`/app/batches/${c.batchId}`}>查看批次</a> · <a href={new URL(c.verifyUrl).pathname}>公开查验页</a></p>
        {c.status === 'valid' && <>
          <h2>打印</h2>
          {PDF_LAYOUTS.map(([layout, text]) => <a class="btn" href={`/app/certificates/${c.id}/certificate.pdf?layout=${layout}`}>{text}</a>)}
        </>}
      </section>
      {c.status === 'voided' && <p><a class="btn" href={`/app/certificates/${c.id}/reissue`}>重新开具</a></p>}
      {c.status === 'valid' && (
        <PostForm action={`/app/certificates/${encodeURIComponent(c.id)}/void`} csrf={ctx.csrf} submit="作废合格证" state={voidState} cls="card danger-form"
          confirm={`确认作废合格证 ${c.number}？作废不可撤销，可在作废后重新开具。`}>
          <h2>作废</h2>
          <Input label="作废原因" name="reason" state={voidState} required placeholder="如：数量填写错误" />
        </PostForm>
      )}
    </Shell>,
  );
}
