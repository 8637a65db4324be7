import { esc, page } from '../../../common/html';
import type { MarketBoardView, PublicLot, StallPageView } from '../market-public.service';

const PROOF: Record<PublicLot['proof'], string> = { trace_code: '追溯码', certificate: '合格证', other_proof: '其他证明' };

function certificateCell(lot: PublicLot): string {
  if (!lot.certificate) return `<span class="muted">${esc(PROOF[lot.proof])}</span>`;
  const state = lot.certificate.status === 'valid' ? '<span class="cert-valid">有效</span>' : '<span class="cert-voided">已作废</span>';
  return `<a href="${esc(lot.certificate.url)}">${esc(lot.certificate.number)}</a> ${state}`;
}

function testCell(lot: PublicLot): string {
  if (!lot.rapidTest) return '';
  return lot.rapidTest.result === 'pass' ? '<span class="verdict pass">合格</span>' : '<span class="verdict fail">不合格</span>';
}

function complaint(market: { complaintPhone: string | null }): string {
  const phone = market.complaintPhone ? `市场投诉电话 <a href="tel:${esc(market.complaintPhone)}">${esc(market.complaintPhone)}</a>；` : '';
  return `<p class="muted">${phone}监管投诉 12315（市场监管）· 12316（农业）</p>`;
}

function testsTable(tests: PublicLot[], withStall: boolean): string {
  if (tests.length === 0) return '<p class="muted">今日暂无快检记录</p>';
  const head = `<tr><th>产品</th>${withStall ? '<th>摊位</th>' : ''}<th>检测项目</th><th>结果</th></tr>`;
  const rows = tests.map((t) => `<tr><td>${esc(t.productName)}</td>${withStall ? `<td>${esc(t.stallNumber ?? '—')}</td>` : ''}<td>${esc(t.rapidTest!.analyte)}</td><td>${testCell(t)}</td></tr>`);
  return `<table class="day">${head}${rows.join('')}</table>`;
}

/** /s/{code}: 一店一码 — what the stall sells today, from where, on which certificates, and today's tests. */
export function renderStallPage(v: StallPageView): string {
  const lots = v.lots.length === 0 ? '<p class="muted">今日暂无入场查验记录</p>'
    : `<ul class="certs">${v.lots.map((l) => `<li><strong>${esc(l.productName)}</strong> · ${esc(l.quantity)}<br>
<span class="muted">产地</span> ${esc(l.origin ?? '未申报')}<br><span class="muted">凭证</span> ${certificateCell(l)}${l.rapidTest ? ` · 快检 ${testCell(l)}` : ''}</li>`).join('')}</ul>`;
  return page(`${v.market.name} ${v.stallNumber} 号摊位 · 天府溯源`, `
<header class="top"><h1>天府溯源 · 一店一码</h1><p>${esc(v.market.name)} · ${esc(v.stallNumber)} 号摊位</p></header>
<main>
<section class="card" id="stall">
  <dl>
    <dt>市场</dt><dd>${esc(v.market.name)}</dd>
    <dt>摊位</dt><dd>${esc(v.stallNumber)}</dd>
    <dt>经营者</dt><dd>${esc(v.sellerName ?? '—')}</dd>
    <dt>日期</dt><dd>${esc(v.on)}</dd>
  </dl>
</section>
<section class="card" id="goods"><h2>今日在售</h2>${lots}</section>
<section class="card" id="tests"><h2>今日快检结果</h2>${testsTable(v.tests, false)}</section>
<p><a href="/m/${esc(v.market.id)}">查看市场信息公示 ›</a></p>
${complaint(v.market)}
</main>`);
}

/** /m/{marketId}?on=: the market's 信息公示栏 for one day — test results, disposals of failed goods, complaint phone. */
export function renderMarketBoard(v: MarketBoardView): string {
  const refused = v.refused.length === 0 ? '<p class="muted">当日无不合格或拒绝入场的产品</p>'
    : `<table class="day"><tr><th>产品</th><th>摊位</th><th>原因</th><th>处置</th></tr>${v.refused.map((r) => `<tr><td>${esc(r.productName)}<br><span class="muted">${esc(r.quantity)}</span></td>
<td>${esc(r.stallNumber ?? '—')}</td><td>${esc(r.reason ?? '')}</td><td>${r.disposal ? `${esc(r.disposal.method)}${r.disposal.note ? `<br><span class="muted">${esc(r.disposal.note)}</span>` : ''}` : '<span class="badge-red">待处置</span>'}</td></tr>`).join('')}</table>`;
  return page(`${v.market.name} 信息公示 ${v.on} · 天府溯源`, `
<header class="top"><h1>天府溯源 · 市场信息公示</h1><p>${esc(v.market.name)} · ${esc(v.on)}</p></header>
<main>
<section class="card" id="summary"><p>当日入场查验通过 <strong>${v.entered}</strong> 批；拒绝入场 <strong>${v.refused.length}</strong> 批。</p></section>
<section class="card" id="tests"><h2>快检结果</h2>${testsTable(v.tests, true)}</section>
<section class="card" id="disposals"><h2>不合格产品处置</h2>${refused}</section>
<section class="card" id="complaints"><h2>投诉举报</h2>${complaint(v.market)}</section>
</main>`);
}
