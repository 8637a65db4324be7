import { chinaDateTime } from '../../../../libs/codes/calendar-date';
import type { EntryItemView, EntryView, SellerView, StallView } from '../../markets';
import type { ConsoleContext } from '../console-auth.service';
import { consolePage, Csrf, Flash, FormState, Input, Options, PostForm, Select, Shell, value } from './layout';
import { Qty, UNITS } from './parts';

/**
 * A market's console (入场查验): the phone-first gate page — pick the seller, scan or type each
 * consignment's proof, one tap for the rapid test, the verdict big — and the seller files and stalls.
 */

export const PROOF_KINDS: Options = [
  ['', '（有合格证或追溯码时不选）'], ['purchase_voucher', '购货凭证'], ['quarantine_certificate', '检疫合格证明'],
  ['test_report', '检测报告'], ['origin_certificate', '产地证明'], ['other', '其他凭证'],
];
const PROOF_NAME: Record<string, string> = Object.fromEntries(PROOF_KINDS);

export const DISPOSALS: Options = [['销毁', '销毁'], ['无害化处理', '无害化处理'], ['退货', '退货'], ['退市', '退市'], ['召回', '召回']];

export interface GateView {
  /** Sellers matching the search (or the market's first ones). */
  sellers: SellerView[];
  q: string;
  /** The seller chosen (kept from one lot to the next). */
  seller: SellerView | null;
  /** The entry just checked: its verdict is shown big. */
  verdict: EntryView | null;
  today: EntryView[];
  sellerNames: Map<string, string>;
  categories: string[];
}

function itemLine(i: EntryItemView) {
  return <>{i.productName} · <Qty q={i.quantity} />{i.certificate ? ` · 合格证 ${i.certificate.number}` : i.proof === 'trace_code' ? ` · 追溯码 ${i.presented}` : i.otherProof ? ` · ${PROOF_NAME[i.otherProof.kind] ?? i.otherProof.kind} ${i.otherProof.reference}` : ''}</>;
}

/** The verdict of the entry just checked, big: 准许入场 in green, 禁止入场 in red with the reasons. */
function Verdict({ ctx, entry }: { ctx: ConsoleContext; entry: EntryView }) {
  const refused = entry.items.filter((i) => i.outcome === 'refused');
  const pass = refused.length === 0;
  return (
    <section id="verdict" class={`verdict ${pass ? 'pass' : 'fail'}`} role={pass ? 'status' : 'alert'}>
      <p class="big">{pass ? '✓ 准许入场' : entry.status === 'partially_refused' ? '✗ 部分禁止入场' : '✗ 禁止入场'}</p>
      <ul class="list">
        {entry.items.map((i) => (
          <li>
            <strong>{i.outcome === 'accepted' ? '准入' : '拒收'}</strong> {itemLine(i)}
            {i.reason && <p class="reason">{i.reason}</p>}
            {i.rapidTest && <p class="muted-inv">快检（{i.rapidTest.analyte}）：{i.rapidTest.result === 'pass' ? '合格' : '不合格'}</p>}
            {i.sampleId && <p class="muted-inv">已启动监督抽检（确证检测）</p>}
          </li>
        ))}
      </ul>
      {!pass && <p class="muted-inv">已记录，并已报告本市场所在地和产地的监管部门。不合格产品请就地处置：</p>}
      {refused.filter((i) => !i.disposal).map((i) => (
        <form method="post" action={`/app/gate/entries/${entry.id}/items/${i.id}/disposal`} class="dispose">
          <Csrf token={ctx.csrf} />
          <label class="f"><span>{i.productName} 的处置方式</span>
            <select name="method">{DISPOSALS.map(([v, text]) => <option value={v}>{text}</option>)}</select></label>
          <button type="submit" class="light">记录处置</button>
        </form>
      ))}
      {refused.filter((i) => i.disposal).map((i) => <p class="muted-inv">{i.productName}：已{i.disposal!.method}</p>)}
    </section>
  );
}

function SellerPicker({ v }: { v: GateView }) {
  return (
    <section class="card" id="seller">
      <h2>1. 销售者</h2>
      {v.seller
        ? <p class="chosen"><strong>{v.seller.name}</strong>{v.seller.vehiclePlates.length > 0 && <> · {v.seller.vehiclePlates.join('、')}</>}
          {' '}<a href="/app/gate">更换</a></p>
        : <>
          <form method="get" action="/app/gate" class="search" role="search">
            <label class="f"><span>按姓名或车牌查找</span><input type="search" name="q" value={v.q} placeholder="如 张三 或 川A12345" autocomplete="off" /></label>
            <button type="submit" class="light">查找</button>
          </form>
          <ul class="list pick">
            {v.sellers.length ? v.sellers.map((s) => (
              <li><a href={`/app/gate?seller=${s.id}`}><strong>{s.name}</strong>{s.vehiclePlates.length > 0 && <> · {s.vehiclePlates.join('、')}</>}
                {s.products.length > 0 && <span class="muted"> · {s.products.join('、')}</span>}</a></li>
            )) : <li class="muted">{v.q ? '没有找到，请换个关键字，或先在“销售者与摊位”中建档。' : '还没有销售者档案：请先在“销售者与摊位”中建档。'}</li>}
          </ul>
        </>}
    </section>
  );
}

/** 入场查验: the market gate, one lot at a time, on a phone. */
export function gatePage(ctx: ConsoleContext, v: GateView, state: FormState, key: string): string {
  const rapid = value(state, 'rapidTest.result');
  return consolePage(
    <Shell ctx={ctx} title="入场查验" active="gate">
      {v.verdict && <Verdict ctx={ctx} entry={v.verdict} />}
      <SellerPicker v={v} />
      {v.seller && (
        <PostForm action="/app/gate" csrf={ctx.csrf} submit="查验" formKey={key} state={state} cls="card gate">
          <h2>2. 本批货物</h2>
          <input type="hidden" name="sellerId" value={v.seller.id} />
          <Input label="车牌" name="vehiclePlate" state={state} attrs={{ autocomplete: 'off' }} />
          <Input label="食品类别" name="category" state={state} required list="categories" hint="输入关键字选择，如“猕猴桃”" />
          <datalist id="categories">{v.categories.map((c) => <option value={c} />)}</datalist>
          <Input label="品名" name="productName" state={state} hint="不填则用类别名" />
          <div class="pair">
            <Input label="入场数量" name="quantity.value" state={state} required attrs={{ inputmode: 'decimal' }} />
            <Select label="单位" name="quantity.unit" state={state} options={UNITS} />
          </div>
          <fieldset class="f tap" id="rapid">
            <legend>入场快检</legend>
            <label><input type="radio" name="rapidTest.result" value="" checked={rapid === ''} /><span>未快检</span></label>
            <label><input type="radio" name="rapidTest.result" value="pass" checked={rapid === 'pass'} /><span>合格</span></label>
            <label class="no"><input type="radio" name="rapidTest.result" value="fail" checked={rapid === 'fail'} /><span>不合格</span></label>
          </fieldset>
          <Input label="快检项目" name="rapidTest.analyte" state={state} />
          <h2>3. 扫码查验</h2>
          <div data-camera="#gate-proof"><button type="button" data-start="" hidden>扫合格证或追溯码</button>
            <video hidden playsinline muted></video><p class="err" data-camera-error="" hidden>无法打开摄像头，请直接输入合格证编号或追溯码。</p></div>
          <Input label="合格证二维码内容、合格证编号或追溯码" name="proof" state={state} attrs={{ id: 'gate-proof', autocomplete: 'off' }} />
          <div class="pair">
            <Input label="证上数量" name="certificateQuantity.value" state={state} attrs={{ inputmode: 'decimal' }} hint="手工输入合格证编号时必填" />
            <Select label="单位" name="certificateQuantity.unit" state={state} options={UNITS} />
          </div>
          <details class="f"><summary>没有合格证或追溯码：其他凭证</summary>
            <Select label="凭证种类" name="otherProof.kind" state={state} options={PROOF_KINDS} />
            <Input label="凭证编号" name="otherProof.reference" state={state} />
          </details>
        </PostForm>
      )}
      <section class="card" id="today"><h2>今日入场</h2><ul class="list">
        {v.today.length ? v.today.map((e) => (
          <li>{e.status === 'accepted' ? <span class="tag">准入</span> : <span class="tag bad">{e.status === 'refused' ? '拒收' : '部分拒收'}</span>}{' '}
            <a href={`/app/gate?entry=${e.id}`}>{e.sellerId ? v.sellerNames.get(e.sellerId) ?? '' : ''} · {e.items.map((i) => i.productName).join('、')}</a>
            {e.vehiclePlate && <> · {e.vehiclePlate}</>} · {chinaDateTime(Date.parse(e.enteredAt)).slice(11)}
            {e.items.filter((i) => i.reason).map((i) => <><br /><span class="muted">{i.reason}</span></>)}</li>
        )) : <li class="muted">今天还没有入场记录。</li>}
      </ul></section>
    </Shell>,
  );
}

/** 销售者与摊位: the seller files (入场销售者档案) and the stalls with their public code. */
export function sellersPage(ctx: ConsoleContext, p: { sellers: SellerView[]; stalls: StallView[]; q: string }, sellerState: FormState, stallState: FormState,
  keys: { seller: string; stall: string }, notice?: string): string {
  const names = new Map(p.sellers.map((s) => [s.id, s.name]));
  return consolePage(
    <Shell ctx={ctx} title="销售者与摊位" active="sellers">
      <Flash message={notice} />
      <div class="grid">
        <section class="card"><h2>销售者档案</h2>
          <form method="get" action="/app/sellers" role="search" class="search">
            <label class="f"><span>按姓名或车牌查找</span><input type="search" name="q" value={p.q} autocomplete="off" /></label>
            <button type="submit" class="light">查找</button>
          </form>
          <ul class="list">
            {p.sellers.length ? p.sellers.map((s) => (
              <li><a href={`/app/sellers/${s.id}`}>{s.name}</a> {s.status === 'stopped' ? <span class="tag warn">已停止经营</span> : null}<br />
                <span class="muted">{s.uscc ?? s.idNumberMasked ?? ''}{s.products.length > 0 && ` · ${s.products.join('、')}`}{s.vehiclePlates.length > 0 && ` · ${s.vehiclePlates.join('、')}`}</span></li>
            )) : <li class="muted">还没有销售者档案。</li>}
          </ul>
        </section>
        <PostForm action="/app/sellers" csrf={ctx.csrf} submit="建档" formKey={keys.seller} state={sellerState}>
          <h2>新建销售者档案</h2>
          <Input label="名称或姓名" name="name" state={sellerState} required />
          <Select label="类型" name="kind" state={sellerState} options={[['business', '经营主体（有统一社会信用代码）'], ['individual', '个人（身份证号）']]} />
          <Input label="统一社会信用代码" name="uscc" state={sellerState} hint="经营主体必填" />
          <Input label="身份证号" name="idNumber" state={sellerState} hint="个人必填；只保存加密摘要和打码后的号码" attrs={{ autocomplete: 'off' }} />
          <Input label="联系人" name="contact.name" state={sellerState} />
          <Input label="联系电话" name="contact.phone" state={sellerState} attrs={{ inputmode: 'tel' }} />
          <Input label="地址" name="address" state={sellerState} />
          <Input label="经营品种" name="products" state={sellerState} hint="多个用逗号分隔，如 猕猴桃，柑橘" />
          <Input label="进货渠道" name="supplyChannels" state={sellerState} hint="如 自产，蒲江县绿源猕猴桃专业合作社" />
          <Input label="产地" name="origins" state={sellerState} hint="如 四川省成都市蒲江县" />
          <Input label="主要产地县级代码" name="originRegionCode" state={sellerState} attrs={{ inputmode: 'numeric' }} hint="6 位，如 510131（蒲江县）：拒收时通知产地监管部门" />
          <Input label="车牌" name="vehiclePlates" state={sellerState} hint="多个用逗号分隔；入场时可按车牌查找" />
        </PostForm>
      </div>
      <div class="grid">
        <section class="card" id="stalls"><h2>摊位（一店一码）</h2><ul class="list">
          {p.stalls.length ? p.stalls.map((s) => (
            <li><strong>{s.number}</strong>{s.sellerId && names.has(s.sellerId) ? ` · ${names.get(s.sellerId)}` : ''}<br />
              <a href={s.publicUrl}>摊位公示页</a> · <a href={`/app/stalls/${s.id}/qr.pdf`}>打印二维码（A4）</a> · <a href={`/app/stalls/${s.id}/qr.pdf?layout=roll-60x40`}>卷标</a></li>
          )) : <li class="muted">还没有摊位。</li>}
        </ul></section>
        <PostForm action="/app/stalls" csrf={ctx.csrf} submit="登记摊位" formKey={keys.stall} state={stallState}>
          <h2>登记摊位</h2>
          <Input label="摊位号" name="number" state={stallState} required hint="如 A-12" />
          <Select label="经营者" name="sellerId" state={stallState}
            options={[['', '（暂无）'], ...p.sellers.filter((s) => s.status === 'active').map((s): [string, string] => [s.id, s.name])]} />
        </PostForm>
      </div>
    </Shell>,
  );
}

/** One seller's file, the entries of the seller, and "stopped selling here". */
export function sellerPage(ctx: ConsoleContext, s: SellerView, entries: EntryView[], notice?: string): string {
  const rows: [string, string][] = [
    ['类型', s.kind === 'business' ? '经营主体' : '个人'], ['证件', s.uscc ?? s.idNumberMasked ?? ''],
    ['联系人', [s.contact.name, s.contact.phone].filter(Boolean).join(' ')], ['地址', s.address ?? ''], ['经营品种', s.products.join('、')],
    ['进货渠道', s.supplyChannels.join('、')], ['产地', s.origins.join('、')], ['车牌', s.vehiclePlates.join('、')], ['建档日期', s.createdAt.slice(0, 10)],
    ['状态', s.status === 'active' ? '经营中' : `${s.stoppedOn} 停止经营，档案保存至 ${s.retainUntil}`],
  ];
  return consolePage(
    <Shell ctx={ctx} title={s.name} active="sellers">
      <Flash message={notice} />
      <section class="card"><h2>入场销售者档案</h2><table><tbody>{rows.map(([k, v]) => <tr><th>{k}</th><td>{v}</td></tr>)}</tbody></table>
        {s.status === 'active' && <p><a class="btn" href={`/app/gate?seller=${s.id}`}>入场查验</a></p>}
      </section>
      <section class="card"><h2>入场记录</h2><ul class="list">
        {entries.length ? entries.map((e) => (
          <li>{e.enteredOn} · {e.status === 'accepted' ? <span class="tag">准入</span> : <span class="tag bad">{e.status === 'refused' ? '拒收' : '部分拒收'}</span>}{' '}
            {e.items.map((i) => i.productName).join('、')}</li>
        )) : <li class="muted">还没有入场记录。</li>}
      </ul></section>
      {s.status === 'active' && (
        <PostForm action={`/app/sellers/${s.id}/stop`} csrf={ctx.csrf} submit="记录停止经营">
          <h2>停止经营</h2><p class="muted">档案将至少保存到停止经营之日起 6 个月（按本平台设置），期间不能删除。</p>
        </PostForm>
      )}
    </Shell>,
  );
}
