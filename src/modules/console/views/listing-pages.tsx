import { chinaDateTime } from '../../../../libs/codes/calendar-date';
import type { BatchView } from '../../batches';
import type { ListingView } from '../../listings';
import type { ProductView } from '../../products';
import type { ConsoleContext } from '../console-auth.service';
import { Checkboxes, consolePage, Flash, FormState, Input, Options, PostForm, Select, Shell, StatusTag } from './layout';

/** 网店与直播 (平台销售 · 直播带货): a producer's online listings, the batches shipped under each, live-stream sessions. */

const STATE_TEXT: Record<ListingView['state'], [string, string]> = {
  ok: ['合格证有效', ''], held: ['暂停销售', 'bad'], recalled: ['已召回', 'bad'], uncertified: ['无有效合格证', 'bad'],
};

function State({ l }: { l: ListingView }) {
  const [text, cls] = STATE_TEXT[l.state];
  return <span class={`tag ${cls}`}>{text}</span>;
}

/** Own sellable batches as checkboxes: "猕猴桃 · 批号 2611270A3F". */
function batchOptions(batches: BatchView[]): Options {
  return batches.filter((b) => b.status === 'active').map((b): [string, string] => [b.id, `${b.product.name} · 批号 ${b.lotCode} · ${b.producedOn}`]);
}

export function listingsPage(ctx: ConsoleContext, p: { listings: ListingView[]; products: ProductView[]; batches: BatchView[]; platforms: Options },
  state: FormState, key: string, notice?: string): string {
  return consolePage(
    <Shell ctx={ctx} title="网店与直播" active="listings">
      <Flash message={notice} />
      <div class="grid">
        <section class="card"><h2>在售链接</h2><ul class="list">
          {p.listings.length ? p.listings.map((l) => (
            <li><a href={`/app/listings/${l.id}`}>{l.platformName} · {l.productName}</a> <State l={l} /><br />
              <span class="muted">{l.platformRef}{l.batches.length > 0 && ` · 批号 ${l.batches.map((b) => b.lotCode).join('、')}`}</span></li>
          )) : <li class="muted">还没有登记网店或直播链接。</li>}
        </ul></section>
        <PostForm action="/app/listings" csrf={ctx.csrf} submit="登记" formKey={key} state={state}>
          <h2>登记网店或直播链接</h2>
          <Select label="平台" name="platform" state={state} options={p.platforms} />
          <Input label="商品链接或商品编号" name="platformRef" state={state} required />
          <Select label="产品" name="productId" state={state} required options={[['', '请选择'], ...p.products.map((x): [string, string] => [x.id, x.name])]} />
          <Checkboxes label="当前发货批次（须为该产品的批次；需开合格证的类别须有有效合格证）" name="batchIds" state={state} options={batchOptions(p.batches)} />
        </PostForm>
      </div>
    </Shell>,
  );
}

export function listingPage(ctx: ConsoleContext, l: ListingView, batches: BatchView[], ship: FormState, session: FormState, notice?: string): string {
  const own = batches.filter((b) => b.product.id === l.productId);
  return consolePage(
    <Shell ctx={ctx} title={`${l.platformName} · ${l.productName}`} active="listings">
      <Flash message={notice} />
      <section class="card"><h2>状态</h2>
        <p><State l={l} /> {l.certificateRequired && <span class="muted">该类别须开具承诺达标合格证</span>}</p>
        <p><img src={`/l/${l.code}/badge.svg`} alt={`天府溯源: ${STATE_TEXT[l.state][0]}`} /></p>
        <p class="muted">公示页：<a href={l.publicUrl}>{l.publicUrl}</a><br />徽章地址（可嵌入商品详情页）：<code>{l.badgeUrl}</code></p>
        <ul class="list">
          {l.batches.map((b) => (
            <li>批号 {b.lotCode} <StatusTag status={b.status} />{' '}
              {b.certificate ? <>合格证 {b.certificate.number} <StatusTag status={b.certificate.status} /></> : <span class="tag bad">无有效合格证</span>}</li>
          ))}
        </ul>
      </section>
      <div class="grid">
        <PostForm action={`/app/listings/${l.id}/batches`} csrf={ctx.csrf} submit="更换发货批次" state={ship}>
          <h2>从现在起发货的批次</h2>
          <Checkboxes label="批次（替换当前批次，原批次保留在记录中）" name="batchIds" state={ship} options={batchOptions(own)} />
        </PostForm>
        <PostForm action={`/app/listings/${l.id}/sessions`} csrf={ctx.csrf} submit="登记直播" state={session}>
          <h2>登记直播场次</h2>
          <Input label="主播" name="host" state={session} required />
          <Input label="开始时间" name="startsAt" type="datetime-local" state={session} required />
          <Input label="结束时间" name="endsAt" type="datetime-local" state={session} required />
          <Checkboxes label="本场销售的批次" name="sessionBatchIds" state={session} options={batchOptions(own)} />
        </PostForm>
      </div>
      <section class="card"><h2>直播场次</h2><ul class="list">
        {l.sessions.length ? l.sessions.map((s) => (
          <li>{s.host} · {chinaDateTime(Date.parse(s.startsAt))} – {chinaDateTime(Date.parse(s.endsAt))}<br />
            <span class="muted">批号 {s.batchIds.map((id) => batches.find((b) => b.id === id)?.lotCode ?? '').filter(Boolean).join('、')}</span></li>
        )) : <li class="muted">还没有直播场次。</li>}
      </ul></section>
    </Shell>,
  );
}
