import { chinaDateTime } from '../../../../libs/codes/calendar-date';
import { page } from '../../../common/html';
import type { ListingView } from '../listings.service';

const STATE: Record<ListingView['state'], [cls: string, title: string, text: string]> = {
  ok: ['valid', '合格证有效', '在售批次均有有效的承诺达标合格证'],
  held: ['voided', '暂停销售', '在售批次已被暂停销售（扣留），请勿购买'],
  recalled: ['voided', '已召回', '在售批次已被召回，请勿购买或食用'],
  uncertified: ['voided', '无有效合格证', '在售批次没有有效的承诺达标合格证'],
};

const BATCH_STATUS: Record<string, string> = { active: '正常', on_hold: '暂停销售', recalled: '已召回' };

/** Live-stream times as people there read them: China time. */
const time = (iso: string) => chinaDateTime(Date.parse(iso));

/** /l/{code}: what an online listing ships now, with each batch's certificate and any hold or recall. */
export function renderListingPage(v: ListingView): string {
  const [cls, title, text] = STATE[v.state];
  return page(`${v.productName} · ${v.platformName} · 天府溯源`, <>
    <header class="top"><h1>天府溯源 · 网售商品溯源</h1><p>{v.platformName} · {v.productName}</p></header>
    <main>
      <section class={`state ${cls}`} id="state" role={v.state === 'ok' ? 'status' : 'alert'}><strong>{title}</strong><span>{text}</span></section>
      <section class="card" id="listing"><dl>
        <dt>产品</dt><dd>{v.productName}</dd>
        <dt>平台</dt><dd>{v.platformName}</dd>
        <dt>商品链接</dt><dd>{v.platformRef}</dd>
      </dl></section>
      <section class="card" id="batches"><h2>当前发货批次</h2>
        <ul class="certs">
          {v.batches.length === 0 && <li class="muted">暂无</li>}
          {v.batches.map((b) => (
            <li><a href={b.traceUrl}>批次 {b.lotCode}</a> · {b.status === 'active' ? <span class="cert-valid">正常</span> : <span class="cert-voided">{BATCH_STATUS[b.status] ?? b.status}</span>}<br />
              <span class="muted">合格证</span> {b.certificate ? <><a href={b.certificate.url}>{b.certificate.number}</a> <span class="cert-valid">有效</span></> : <span class="muted">无</span>}</li>
          ))}
        </ul>
      </section>
      {v.sessions.length > 0 && (
        <section class="card" id="sessions"><h2>直播场次</h2>
          <ul class="certs">{v.sessions.map((s) => <li>{s.host}<br /><span class="muted">{time(s.startsAt)} – {time(s.endsAt)}（北京时间）</span></li>)}</ul>
        </section>
      )}
      <p class="muted">如发现问题，可拨打 12315（市场监管）或 12316（农业）反映。</p>
    </main>
  </>);
}
