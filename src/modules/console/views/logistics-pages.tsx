import { chinaDateTime } from '../../../../libs/codes/calendar-date';
import type { BatchView } from '../../batches';
import { REFERENCE_DOCUMENT_TYPES, type ReferenceDocumentType } from '../../events';
import type { ArrivingUnit, InboundUnitView } from '../../logistics';
import type { ProductView } from '../../products';
import type { SiteView } from '../../sites';
import type { ConsoleContext } from '../console-auth.service';
import { consolePage, FieldError, Flash, FormState, Input, Options, PostForm, Select, Shell } from './layout';
import { Qty, UNITS } from './parts';
import { CameraScan } from './scan-parts';

/** Logistic units (SSCC) and the FSMA 204 records sheet, in the shipments workspace (and the sheet on the dashboard for regulators). */

const UNIT_STATUS: Record<string, string> = { open: '装货中', shipped: '已发出', received: '已收货' };

const DOCUMENT_TYPE_NAMES: Record<ReferenceDocumentType, string> = {
  desadv: '发货通知', bill_of_lading: '提单', waybill: '运单', invoice: '发票', purchase_order: '采购订单', receiving_note: '收货单', other: '其他',
};

const documentOptions = (types: readonly ReferenceDocumentType[]): Options => [['', '不注明'], ...types.map((t): [string, string] => [t, DOCUMENT_TYPE_NAMES[t]])];

/** The sender's document for a shipment (a receiving note is the receiver's own). */
export const DOCUMENT_TYPES = documentOptions(['desadv', 'bill_of_lading', 'waybill', 'invoice', 'purchase_order', 'other']);

/** The receiver's own document: every type the API takes (a receiving note included). */
const RECEIPT_DOCUMENT_TYPES = documentOptions(REFERENCE_DOCUMENT_TYPES);

export interface UnitLine {
  sscc: string;
  status: string;
  allocatedAt: string;
  lots: number;
}

export function unitsPage(ctx: ConsoleContext, units: UnitLine[], canAllocate: boolean, state: FormState, notice?: string): string {
  return consolePage(
    <Shell ctx={ctx} title="物流单元（SSCC）" active="shipments">
      <Flash message={notice} />
      {canAllocate
        ? <PostForm action="/app/shipments/units" csrf={ctx.csrf} submit="分配 SSCC" state={state}>
            <Input label="数量" name="count" state={state} type="number" attrs={{ min: 1, max: 1000, inputmode: 'numeric' }} hint="每个托盘或整箱一个 SSCC（18 位，永不重复使用）；不填为 1 个" />
          </PostForm>
        : <p class="card muted">分配 SSCC 需要本单位的 GS1 厂商识别代码，请管理员在单位信息中登记后再来。</p>}
      <section class="card"><h2>本单位的物流单元</h2>
        {units.length
          ? <ul class="list">{units.map((u) => <li><a href={`/app/shipments/units/${u.sscc}`}><code>{u.sscc}</code></a> {UNIT_STATUS[u.status] ?? u.status} · {u.lots} 个批次
              <br /><span class="muted">分配于 {chinaDateTime(new Date(u.allocatedAt))}</span></li>)}</ul>
          : <p class="muted">还没有物流单元。</p>}
      </section>
      <p><a href="/app/shipments/fsma204">FSMA 204 追溯记录表（出口美国）</a></p>
    </Shell>,
  );
}

export interface UnitDetail {
  sscc: string;
  status: string;
  contents: { lot: string; quantity: BatchView['quantity'] }[];
  /** The caller's active lots (to pack). */
  batches: BatchView[];
}

export function unitPage(ctx: ConsoleContext, u: UnitDetail, pack: FormState, ship: FormState, packKey: string, shipKey: string, notice?: string): string {
  const open = u.status === 'open';
  return consolePage(
    <Shell ctx={ctx} title={`SSCC ${u.sscc}`} active="shipments">
      <Flash message={notice} />
      <section class="card"><h2>单元内容</h2>
        <p>状态 {UNIT_STATUS[u.status] ?? u.status}</p>
        {u.contents.length ? <ul class="list">{u.contents.map((c) => <li>{c.lot} · <Qty q={c.quantity} /></li>)}</ul> : <p class="muted">还没有装货。</p>}
        <p><a class="btn" href={`/app/shipments/units/${u.sscc}/label.pdf`}>打印物流标签（A6 PDF）</a></p>
      </section>
      {open && <PostForm action={`/app/shipments/units/${u.sscc}/contents`} csrf={ctx.csrf} submit="装入" formKey={packKey} state={pack}>
        <h2>装货</h2>
        <Select label="批次" name="batchId" state={pack} required
          options={[['', '请选择'], ...u.batches.map((b): [string, string] => [b.id, `${b.product.name} · ${b.lotCode}（${b.quantity.value} ${b.quantity.unit}）`])]} />
        <Input label="数量" name="quantity.value" state={pack} required attrs={{ inputmode: 'decimal' }} />
        <Select label="单位" name="quantity.unit" state={pack} options={UNITS} />
      </PostForm>}
      {open && u.contents.length > 0 && <PostForm action={`/app/shipments/units/${u.sscc}/shipment`} csrf={ctx.csrf} submit="整单元发货" formKey={shipKey} state={ship}>
        <h2>发货</h2>
        <Input label="收货单位统一社会信用代码" name="toUscc" state={ship} required attrs={{ autocomplete: 'off' }} hint="18 位，见对方营业执照" />
        <Input label="单据号" name="referenceDocument" state={ship} />
        <Select label="单据类型" name="referenceDocumentType" state={ship} options={DOCUMENT_TYPES} />
      </PostForm>}
    </Shell>,
  );
}

/** What the receive page shows: the scan form, and the unit found (with its receipt form or its receipt). */
export interface ReceiveUnitData {
  /** The scan form as typed (`sscc`) and its problem, if the unit was not found. */
  scan: FormState;
  arriving: ArrivingUnit[];
  unit: InboundUnitView | null;
  products: ProductView[];
  sites: SiteView[];
}

function documentText(type: string | null, number: string | null): string {
  return number ? `${type && Object.hasOwn(DOCUMENT_TYPE_NAMES, type) ? DOCUMENT_TYPE_NAMES[type as ReferenceDocumentType] : '单据'} ${number}` : '';
}

/** The unit as its receiver sees it: sender, when it left, the sender's document, the lots on it (and, once received, the inbound lots). */
function InboundUnit({ u }: { u: InboundUnitView }) {
  const doc = documentText(u.referenceDocumentType, u.referenceDocument);
  return (
    <section class="card" aria-labelledby="h-unit"><h2 id="h-unit">物流单元 <code>{u.sscc}</code></h2>
      <p>发货方 {u.from.name}<br /><span class="muted">发出于 {chinaDateTime(new Date(u.shippedAt))}{doc && ` · 随货单据：${doc}`}</span></p>
      {u.receivedAt && <p><span class="tag">已收货</span> {chinaDateTime(new Date(u.receivedAt))}</p>}
      <ul class="list">{u.lots.map((l) => (
        <li>{l.product.name} · 批号 {l.lotCode} · <Qty q={l.quantity} />{l.product.gtin && <span class="muted"> · 条码 {l.product.gtin}</span>}
          {l.receivedBatch && <><br />入库批次 <a href={`/app/batches/${l.receivedBatch.id}`}>{l.receivedBatch.lotCode}</a></>}</li>
      ))}</ul>
    </section>
  );
}

/**
 * Receiving a logistic unit by its SSCC: scan the GS1-128 on its label (a handheld scanner types it
 * into the focused field and presses Enter) or type the 18 digits; the unit found shows what is on
 * it, then the receipt form: where it arrived, which of the receiver's products each lot is booked
 * as (preselected: the product with the same GTIN), when, and the receiver's own document.
 */
export function receiveUnitPage(ctx: ConsoleContext, d: ReceiveUnitData, state: FormState, key: string, notice?: string): string {
  const u = d.unit;
  const own: Options = [['', '请选择'], ...d.products.map((p): [string, string] => [p.id, p.gtin ? `${p.name}（${p.gtin}）` : p.name])];
  return consolePage(
    <Shell ctx={ctx} title="扫描 SSCC 收货" active="shipments">
      <Flash message={notice} />
      <form method="get" action="/app/shipments/receive" class="card" novalidate>
        <CameraScan target="sscc-code" fallback="无法打开摄像头，请用扫码枪扫描或手工输入。" />
        <Input label="扫描或输入 SSCC" name="sscc" state={d.scan} required
          attrs={{ id: 'sscc-code', autocomplete: 'off', autofocus: !u, inputmode: 'numeric', spellcheck: false }}
          hint="物流标签底部 (00) 开头的条码：扫码枪扫描，或输入条码下的 18 位数字；也接受 GS1 数字链接。摄像头只能识读二维码。" />
        <button type="submit">查找</button>
      </form>
      {u && <InboundUnit u={u} />}
      {u && !u.receivedAt && <PostForm action={`/app/shipments/receive/${u.sscc}`} csrf={ctx.csrf} submit="确认收货" formKey={key} state={state}>
        <h2>收货</h2>
        <Select label="收货地点（仓库、摊位）" name="siteId" state={state} required
          options={[['', '请选择'], ...d.sites.map((s): [string, string] => [s.id, `${s.name}（${s.regionName}）`])]} />
        {/* A lot already received on its own (from the shipments list) is booked: no choice for it. */}
        {u.lots.map((l, i) => (l.receivedBatch ? null
          : <Select label={`${l.product.name} · ${l.lotCode} 入库为本单位产品`} name={`products[${i}].productId`} state={state} required options={own} />))}
        {d.products.length === 0 && <p class="muted">本单位还没有产品：请先在<a href="/app/products">产品</a>中添加。</p>}
        <Input label="收货时间" name="receivedAt" type="datetime-local" state={state} required attrs={{ step: 1 }} />
        <Input label="本单位单据号" name="referenceDocument" state={state} hint="收货单、发票等，可不填" />
        <Select label="单据类型" name="referenceDocumentType" state={state} options={RECEIPT_DOCUMENT_TYPES} />
        <FieldError state={state} name="products" />
      </PostForm>}
      {!u && <section class="card"><h2>发往本单位的物流单元</h2>
        {d.arriving.length
          ? <ul class="list">{d.arriving.map((a) => <li><a href={`/app/shipments/receive?sscc=${a.sscc}`}><code>{a.sscc}</code></a> {a.lots} 个批次
              <br /><span class="muted">发货方 {a.from.name} · 发出于 {chinaDateTime(new Date(a.shippedAt))}</span></li>)}</ul>
          : <p class="muted">没有在途的物流单元。</p>}
      </section>}
    </Shell>,
  );
}

/** FSMA 204 sortable spreadsheet: a product (GTIN) and a date range → the file. A GET form: the download is a link anyone in the workspace may follow. */
export function fsmaPage(ctx: ConsoleContext, action: string, gtins: Options, state: FormState, active: string): string {
  return consolePage(
    <Shell ctx={ctx} title="FSMA 204 追溯记录表" active={active}>
      <form method="get" action={action} class="card" novalidate>
        {state.problems.general && <p class="err general" role="alert">{state.problems.general}</p>}
        <p class="muted">美国 FDA 可要求在 24 小时内提供某产品、某时间段的关键追踪事件表（每个事件一行）。</p>
        {gtins.length > 1
          ? <Select label="产品（GTIN）" name="gtin" state={state} required options={gtins} />
          : <Input label="产品 GTIN" name="gtin" state={state} required attrs={{ inputmode: 'numeric', autocomplete: 'off' }} hint="8、12、13 或 14 位商品条码" />}
        <Input label="开始日期" name="fromDate" state={state} type="date" required />
        <Input label="结束日期" name="toDate" state={state} type="date" required hint="含当日；最长两年" />
        <Select label="格式" name="format" state={state} options={[['xlsx', 'Excel（xlsx）'], ['csv', 'CSV']]} />
        <button type="submit">下载</button>
      </form>
    </Shell>,
  );
}
