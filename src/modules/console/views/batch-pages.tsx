import type { ComponentChildren } from 'preact';
import { chinaDateTime } from '../../../../libs/codes/calendar-date';
import { trustedHtml } from '../../../common/html';
import type { BatchView } from '../../batches';
import type { CertificateView } from '../../certificates';
import type { PrintRunView, RenderView } from '../../labels';
import type { ProductView } from '../../products';
import type { SiteView } from '../../sites';
import type { TestRecordView } from '../../test-records';
import type { ConsoleContext } from '../console-auth.service';
import { can, Checkboxes, consolePage, Flash, FormState, Input, PostForm, Select, Shell, StatusTag, value } from './layout';
import { KdeFacts, KdeFactsData } from './kde-facts';
import { BatchLine, Qty, UNITS } from './parts';

/** The cooperative's batches and their labels. */

export const LABEL_CHOICES: { id: string; format: 'pdf' | 'zpl' | 'tspl'; layout: string; text: string }[] = [
  { id: 'pdf:a4-40', format: 'pdf', layout: 'a4-40', text: 'A4 不干胶（每张 40 枚，PDF）' },
  { id: 'pdf:roll-60x40', format: 'pdf', layout: 'roll-60x40', text: '60 × 40 mm 卷标（PDF）' },
  { id: 'pdf:roll-60x80', format: 'pdf', layout: 'roll-60x80', text: '60 × 80 mm 卷标（PDF）' },
  { id: 'zpl:roll-60x40', format: 'zpl', layout: 'roll-60x40', text: '斑马打印机 ZPL（60 × 40 mm）' },
  { id: 'tspl:roll-60x40', format: 'tspl', layout: 'roll-60x40', text: 'TSC 打印机 TSPL（60 × 40 mm）' },
];

export function batchesPage(ctx: ConsoleContext, batches: BatchView[]): string {
  return consolePage(
    <Shell ctx={ctx} title="批次" active="batches">
      {can(ctx, 'batch-writes') && <a class="btn" href="/app/batches/new">新建批次</a>}
      <section class="card">{batches.length ? <ul class="list">{batches.map((b) => <BatchLine b={b} />)}</ul> : <p class="muted">还没有批次。</p>}</section>
    </Shell>,
  );
}

export interface NewBatchChoices {
  products: ProductView[];
  sites: SiteView[];
  /** Geographical indications covering one of the organisation's sites. */
  gis: { id: string; productName: string; regimeName: string; registrationNumber: string }[];
  /** Quality marks the organisation holds (绿色食品, 有机产品 …), valid today. */
  marks: { id: string; schemeName: string; number: string }[];
}

/** The form's FSMA 204 key data elements (CreateBatchDto's names), beyond the harvest date every batch may carry. */
export const KDE_FIELDS = ['variety', 'growingArea', 'harvesterName', 'harvesterPhone', 'cooledAt', 'coolingSiteId', 'tlcSourceSiteId'];

/**
 * What an exporting cooperative records for FSMA 204 (harvesting, cooling, initial packing). Most
 * batches need none of it, so it stays folded unless something in it was typed or refused.
 */
function ExportKdes({ state, siteOptions }: { state: FormState; siteOptions: [string, string][] }) {
  const open = KDE_FIELDS.some((n) => value(state, n) !== '' || state.problems.fields[n] !== undefined);
  return (
    <details class="f" id="fsma-kde-fields" open={open}><summary>出口追溯信息（FSMA 204 关键数据）</summary>
      <Input label="品种" name="variety" state={state} hint="可不填；如 红阳、翠香、徐香" />
      <Input label="地块（种植区域）" name="growingArea" state={state} hint="可不填；采收的田块或种植区域，如 西来镇 3 号地块" />
      <Input label="采收方名称" name="harvesterName" state={state} hint="由其他单位代为采收时填写，须与采收方电话一并填写" />
      <Input label="采收方电话" name="harvesterPhone" state={state} type="tel" attrs={{ inputmode: 'tel', autocomplete: 'off' }}
        hint="与采收方名称一并填写；数字，可含 + - ( ) 和空格" />
      <Input label="预冷时间" name="cooledAt" state={state} type="datetime-local" hint="可不填；北京时间，初次包装前预冷的时间，不能晚于现在" />
      <Select label="预冷地点" name="coolingSiteId" state={state} options={[['', '与批次的基地相同'], ...siteOptions]} />
      <Select label="批号赋予地点" name="tlcSourceSiteId" state={state} options={[['', '与批次的基地相同'], ...siteOptions]} />
    </details>
  );
}

export function newBatchPage(ctx: ConsoleContext, { products, sites, gis, marks }: NewBatchChoices, state: FormState, key: string): string {
  const siteOptions = sites.map((s): [string, string] => [s.id, `${s.name}（${s.regionName}）`]);
  return consolePage(
    <Shell ctx={ctx} title="新建批次" active="batches">
      {(!products.length || !sites.length) && <p class="err general">请先<a href="/app/products">新建产品</a>和<a href="/app/sites">生产基地</a>。</p>}
      <PostForm action="/app/batches" csrf={ctx.csrf} submit="创建批次" formKey={key} state={state}>
        <Select label="产品" name="productId" state={state} required options={[['', '请选择'], ...products.map((p): [string, string] => [p.id, p.name])]} />
        <Select label="生产基地" name="siteId" state={state} required options={[['', '请选择'], ...siteOptions]} />
        <Input label="数量" name="quantity.value" state={state} required attrs={{ inputmode: 'decimal' }} />
        <Select label="单位" name="quantity.unit" state={state} options={UNITS} />
        <Input label="生产（采收）日期" name="producedOn" state={state} type="date" required />
        <Input label="采收日期" name="harvestedOn" state={state} type="date" hint="可不填；不晚于生产日期，用于核对农药安全间隔期" />
        <Input label="批号" name="lotCode" state={state} hint="可不填，系统自动生成" />
        {gis.length > 0 && <Select label="地理标志" name="giId" state={state}
          options={[['', '不使用'], ...gis.map((g): [string, string] => [g.id, `${g.productName}（${g.regimeName} ${g.registrationNumber}）`])]} />}
        {marks.length > 0 && <Checkboxes label="质量标志（绿色食品、有机产品等）" name="marks" state={state}
          options={marks.map((m): [string, string] => [m.id, `${m.schemeName} ${m.number}`])} />}
        <ExportKdes state={state} siteOptions={siteOptions} />
      </PostForm>
    </Shell>,
  );
}

export interface BatchDetail {
  batch: BatchView;
  /** The batch's QR code as SVG markup, drawn by libs/labels from the code (no user text). */
  qrSvg: string;
  runs: PrintRunView[];
  certificates: CertificateView[];
  tests: TestRecordView[];
  /** FSMA 204 key data elements with site names (absent: not shown). */
  kdes?: KdeFactsData;
}

export function batchPage(ctx: ConsoleContext, d: BatchDetail, notice?: string): string {
  const b = d.batch;
  // A regulator reads the batch; labels and certificates are the producer's to make.
  const writes = can(ctx, 'batch-writes');
  const history: { at: string; text: ComponentChildren }[] = [
    { at: b.createdAt, text: <>创建批次，<Qty q={b.quantity} /></> },
    ...d.runs.map((r) => ({ at: r.createdAt, text: <>打印标签 {r.count} 枚（序号 {r.firstSerial}–{r.lastSerial}）{writes && <a href={`/app/print-runs/${r.id}`}>下载 / 补打</a>}</> })),
    ...d.certificates.map((c) => ({ at: c.createdAt, text: <>开具合格证 {can(ctx, 'certificates') ? <a href={`/app/certificates/${c.id}`}>{c.number}</a> : c.number} <StatusTag status={c.status} /></> })),
    ...d.tests.map((t) => ({ at: t.createdAt, text: <>检测 {t.testedOn}：{t.verdict === 'pass' ? '合格' : <span class="tag bad">不合格</span>}</> })),
  ].sort((x, y) => y.at.localeCompare(x.at));
  return consolePage(
    <Shell ctx={ctx} title={`${b.product.name} · ${b.lotCode}`} active="batches">
      <Flash message={notice} />
      <div class="grid">
        <section class="card"><h2>批次信息</h2>
          <p>状态 <StatusTag status={b.status} />{b.statusReason && <> <span class="muted">{b.statusReason}</span></>}</p>
          <p>数量 <Qty q={b.quantity} /> · 生产日期 {b.producedOn}<br />追溯码 <code>{b.traceCode}</code> · 已发标签 {b.itemsIssued} 枚</p>
          <div class="qr" aria-label="批次二维码">{trustedHtml(d.qrSvg)}</div>
          {can(ctx, 'supervision') && <a class="btn" href={`/app/supervision/batches/${b.id}`}>监管处置（暂停、召回、作废合格证）</a>}
          {!writes ? null : b.status === 'active'
            ? <><a class="btn" href={`/app/batches/${b.id}/print`}>打印标签</a><a class="btn" href={`/app/batches/${b.id}/certificate`}>开具合格证</a></>
            : <p class="err">该批次已暂停或召回，不能打印标签或开具合格证。</p>}
          {writes && <p><a class="btn" href={`/app/batches/${b.id}/tests/new`}>录入检测结果</a>
            {(b.status === 'active' || b.status === 'on_hold') && <a class="btn" href={`/app/batches/${b.id}/status`}>{b.status === 'on_hold' ? '解除暂停' : '暂停销售'}</a>}</p>}
        </section>
        {d.kdes && <KdeFacts k={d.kdes} />}
        <section class="card"><h2>消费者扫码看到的页面</h2><iframe src={`/t/${b.traceCode}`} title="消费者页面预览" loading="lazy"></iframe></section>
      </div>
      <section class="card"><h2>记录</h2>
        <ul class="list">{history.map((h) => <li><span class="muted">{chinaDateTime(new Date(h.at))}</span> {h.text}</li>)}</ul>
        {can(ctx, 'dashboard') && <p><a href={`/app/dashboard/batches/${b.id}`} id="farm-record-link">农事记录、剂量警示与监管放行（安全间隔期核查）</a></p>}</section>
    </Shell>,
  );
}

export function printPage(ctx: ConsoleContext, b: BatchView, state: FormState, key: string): string {
  return consolePage(
    <Shell ctx={ctx} title={`打印标签 · ${b.product.name} ${b.lotCode}`} active="batches">
      <PostForm action={`/app/batches/${encodeURIComponent(b.id)}/print-runs`} csrf={ctx.csrf} submit="生成标签" formKey={key} state={state}>
        <Input label="张数" name="count" state={state} type="number" required attrs={{ min: 1, max: 100000, inputmode: 'numeric' }}
          hint="每枚标签一个独立追溯码；1000 枚以上会在后台生成" />
        <Select label="版式" name="choice" state={state} options={LABEL_CHOICES.map((c): [string, string] => [c.id, c.text])} />
      </PostForm>
    </Shell>,
  );
}

export function printRunPage(ctx: ConsoleContext, b: BatchView, run: PrintRunView, choice: typeof LABEL_CHOICES[number], render: RenderView | null, sync: boolean): string {
  const download = `/app/print-runs/${run.id}/labels.${choice.format}?layout=${choice.layout}`;
  const ready = sync || render?.status === 'done';
  return consolePage(
    <Shell ctx={ctx} title={`标签 ${run.count} 枚`} active="batches">
      <section class="card">
        <p>{b.product.name} · 批号 {b.lotCode} · 序号 {run.firstSerial}–{run.lastSerial}</p>
        <p>版式：{choice.text}</p>
        {ready ? <p><a class="btn" href={download} data-ready="">下载标签文件</a></p> : (
          <div data-progress-url={`/app/print-runs/${run.id}/progress?format=${choice.format}&layout=${choice.layout}`}>
            <progress max={100} value={render?.progress ?? 0}></progress> <span data-progress-text="">{Math.round(render?.progress ?? 0)}%</span>
            <p class="muted">标签较多，正在后台生成。可离开本页，稍后在批次记录里下载。<noscript>请刷新页面查看进度。</noscript></p>
            <p data-download="" hidden><a class="btn" href={download}>下载标签文件</a></p>
          </div>
        )}
      </section>
      <form method="get" action={`/app/print-runs/${run.id}`} class="card"><h2>换一种版式（补打）</h2>
        <label class="f"><span>版式</span><select name="choice">
          {LABEL_CHOICES.map((c) => <option value={c.id} selected={c.id === choice.id}>{c.text}</option>)}
        </select></label><button type="submit">换版式</button></form>
      <p><a href={`/app/batches/${b.id}`}>返回批次</a></p>
    </Shell>,
  );
}
