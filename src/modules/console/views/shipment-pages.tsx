import type { BatchView } from '../../batches';
import type { ShipmentView } from '../../events';
import type { BalanceSummary } from '../../events/domain';
import type { ProductView } from '../../products';
import type { SiteView } from '../../sites';
import type { ConsoleContext } from '../console-auth.service';
import { consolePage, Csrf, Flash, FormState, Input, Options, PostForm, Select, Shell } from './layout';
import { Qty, UNITS } from './parts';
import { CameraScan } from './scan-parts';

/** Shipping, receiving, mixing and splitting lots (purchasers, wholesalers, and producers who ship). */

export interface ShipmentLine {
  shipment: ShipmentView;
  /** The shipped lot: product and lot code; the shipper's name. */
  lot: string;
  party: string;
}

function Line({ l, inbound }: { l: ShipmentLine; inbound: boolean }) {
  const s = l.shipment;
  return (
    <li>{inbound && s.status === 'in_transit' ? <a href={`/app/shipments/${s.id}/receive`}>{l.lot}</a> : l.lot}{' '}
      <span class={`tag ${s.status === 'in_transit' ? 'warn' : ''}`}>{s.status === 'in_transit' ? '在途' : '已收货'}</span>
      {inbound && s.status === 'received' && s.receivedBatchId && <> <a href={`/app/batches/${s.receivedBatchId}`}>收货批次</a></>}
      <br /><span class="muted">{inbound ? '发货方' : '收货方'} {l.party} · <Qty q={s.quantity} />{s.referenceDocument && ` · 单号 ${s.referenceDocument}`}</span></li>
  );
}

export function shipmentsPage(ctx: ConsoleContext, inbound: ShipmentLine[], outbound: ShipmentLine[], scan: FormState, notice?: string): string {
  return consolePage(
    <Shell ctx={ctx} title="发货收货" active="shipments">
      <Flash message={notice} />
      <PostForm action="/app/shipments/scan" csrf={ctx.csrf} submit="查找到货" state={scan}>
        <h2>收货</h2>
        <CameraScan target="arrival-code" fallback="无法打开摄像头，请输入追溯码或合格证编号。" />
        <Input label="扫描货物上的追溯码或随货合格证" name="code" state={scan} required attrs={{ id: 'arrival-code', autocomplete: 'off' }}
          hint="也可手工输入追溯码（不区分大小写，可带空格）或合格证编号" />
      </PostForm>
      <p><a class="btn" href="/app/shipments/receive">扫描 SSCC 整单元收货</a><a class="btn" href="/app/shipments/new">发货</a><a class="btn" href="/app/shipments/transform">混装 / 分装</a>
        <a class="btn" href="/app/shipments/units">物流单元（SSCC）</a><a class="btn" href="/app/shipments/fsma204">FSMA 204 记录表</a></p>
      <div class="grid">
        <section class="card"><h2>发往本单位的货物</h2>
          {inbound.length ? <ul class="list">{inbound.map((l) => <Line l={l} inbound />)}</ul> : <p class="muted">没有发往本单位的货物。</p>}</section>
        <section class="card"><h2>本单位发出的货物</h2>
          {outbound.length ? <ul class="list">{outbound.map((l) => <Line l={l} inbound={false} />)}</ul> : <p class="muted">还没有发货。</p>}</section>
      </div>
    </Shell>,
  );
}

const own = (items: { id: string; name: string }[]): Options => [['', '请选择'], ...items.map((p): [string, string] => [p.id, p.name])];
const sitesOf = (sites: SiteView[]): Options => [['', '请选择'], ...sites.map((s): [string, string] => [s.id, `${s.name}（${s.regionName}）`])];

export interface ArrivalFacts {
  shipment: ShipmentView;
  lot: string;
  shipper: string;
  producedOn: string;
  /** The valid certificate that came with the lot, if any. */
  certificate: { number: string } | null;
}

export function receivePage(ctx: ConsoleContext, a: ArrivalFacts, products: ProductView[], sites: SiteView[], state: FormState, key: string): string {
  return consolePage(
    <Shell ctx={ctx} title="收货" active="shipments">
      <section class="card">
        <p><strong>{a.lot}</strong> · 发货方 {a.shipper}<br />发出 <Qty q={a.shipment.quantity} /> · 生产日期 {a.producedOn}
          {a.shipment.referenceDocument && ` · 单号 ${a.shipment.referenceDocument}`}</p>
        {a.certificate ? <p><span class="tag">随货合格证</span> {a.certificate.number}</p> : <p><span class="tag warn">无随货合格证</span></p>}
      </section>
      <PostForm action={`/app/shipments/${a.shipment.id}/receipt`} csrf={ctx.csrf} submit="确认收货" formKey={key} state={state}>
        <Select label="入库为本单位产品" name="productId" state={state} required options={own(products)} />
        <Select label="收货地点（仓库、摊位）" name="siteId" state={state} required options={sitesOf(sites)} />
        <Input label="实收数量" name="quantity.value" state={state} attrs={{ inputmode: 'decimal' }} hint="不超过发货数量；不填则按发货数量" />
        <Select label="单位" name="quantity.unit" state={state} options={UNITS} />
        <Input label="入库批号" name="lotCode" state={state} hint="可不填，系统自动生成" />
        {a.certificate && <label class="chk"><input type="checkbox" name="collect" value="1" checked={state.values.collect !== '0'} /> 同时登记查验随货合格证（开具本单位合格证时作为依据）</label>}
        {a.certificate && <input type="hidden" name="collect" value="0" />}
      </PostForm>
    </Shell>,
  );
}

export function shipPage(ctx: ConsoleContext, batches: BatchView[], state: FormState, key: string): string {
  return consolePage(
    <Shell ctx={ctx} title="发货" active="shipments">
      <PostForm action="/app/shipments" csrf={ctx.csrf} submit="发货" formKey={key} state={state}>
        <Select label="发出的批次" name="batchId" state={state} required
          options={[['', '请选择'], ...batches.map((b): [string, string] => [b.id, `${b.product.name} · ${b.lotCode}（${b.quantity.value} ${b.quantity.unit}）`])]} />
        <Input label="收货单位统一社会信用代码" name="toUscc" state={state} required attrs={{ autocomplete: 'off' }} hint="18 位，见对方营业执照" />
        <Input label="发货数量" name="quantity.value" state={state} required attrs={{ inputmode: 'decimal' }} />
        <Select label="单位" name="quantity.unit" state={state} options={UNITS} />
        <Input label="发货单号" name="referenceDocument" state={state} />
      </PostForm>
    </Shell>,
  );
}

export const TRANSFORM_KINDS: Options = [['mixing', '混装（多批合一）'], ['splitting', '分装（一批分多批）'], ['repacking', '重新包装'], ['processing', '加工']];
export const TRANSFORM_ROWS = 3;

function Balance({ b }: { b: BalanceSummary }) {
  if (b.problem === 'unit_mismatch') return <p class="err general" role="alert">投入和产出的单位无法换算（重量与件数不能相加），请统一单位。</p>;
  return (
    <section class={`card ${b.problem ? 'danger-form' : ''}`} aria-labelledby="h-balance"><h2 id="h-balance">质量平衡</h2>
      <p>投入合计 <strong>{b.inputs} {b.unit}</strong> · 产出合计 <strong>{b.outputs} {b.unit}</strong>
        {b.yieldPercent && <> · 得率 {b.yieldPercent}%</>} · 损耗 {b.loss} {b.unit}</p>
      {b.problem === 'yield_exceeded' && <p class="err">产出超过投入，不能提交：请核对数量。</p>}
    </section>
  );
}

export function transformPage(ctx: ConsoleContext, d: { batches: BatchView[]; products: ProductView[]; sites: SiteView[] }, state: FormState, key: string,
  balance: BalanceSummary | null, confirm: string | null): string {
  const general = state.problems.general;
  return consolePage(
    <Shell ctx={ctx} title="混装 / 分装" active="shipments">
      {balance && <Balance b={balance} />}
      <form method="post" action="/app/shipments/transform" class="card" novalidate>
        {general && <p class="err general" role="alert">{general}</p>}
        <Csrf token={ctx.csrf} /><input type="hidden" name="_key" value={key} />
        <Select label="方式" name="kind" state={state} options={TRANSFORM_KINDS} />
        <h2>投入批次</h2>
        {Array.from({ length: TRANSFORM_ROWS }, (_, i) => (
          <div class="grid">
            <Select label={`批次 ${i + 1}`} name={`inputs[${i}].batchId`} state={state}
              options={[['', i === 0 ? '请选择' : '（不用）'], ...d.batches.map((b): [string, string] => [b.id, `${b.product.name} · ${b.lotCode}（${b.quantity.value} ${b.quantity.unit}）`])]} />
            <Input label="投入数量" name={`inputs[${i}].quantity.value`} state={state} attrs={{ inputmode: 'decimal' }} />
            <Select label="单位" name={`inputs[${i}].quantity.unit`} state={state} options={UNITS} />
          </div>
        ))}
        <h2>产出批次</h2>
        {Array.from({ length: TRANSFORM_ROWS }, (_, i) => (
          <div class="grid">
            <Select label={`产品 ${i + 1}`} name={`outputs[${i}].productId`} state={state} options={own(d.products)} />
            <Select label="地点" name={`outputs[${i}].siteId`} state={state} options={sitesOf(d.sites)} />
            <Input label="产出数量" name={`outputs[${i}].quantity.value`} state={state} attrs={{ inputmode: 'decimal' }} />
            <Select label="单位" name={`outputs[${i}].quantity.unit`} state={state} options={UNITS} />
            <Input label="批号" name={`outputs[${i}].lotCode`} state={state} hint="可不填" />
          </div>
        ))}
        <input type="hidden" name="_step" value={confirm ? 'submit' : 'preview'} />
        {confirm && <input type="hidden" name="_balance" value={confirm} />}
        {confirm ? <><button type="submit">确认提交</button><p class="muted">修改数量后请重新核对：改动会使确认失效。</p></>
          : <button type="submit">核对质量平衡</button>}
      </form>
    </Shell>,
  );
}
