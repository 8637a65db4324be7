import { esc, page } from '../../../common/html';
import type { PublicCertificate } from '../domain/public-certificate';

const BEIJING_DATE = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

function row(label: string, value: unknown): string {
  return value === null || value === undefined || value === '' ? '' : `<dt>${esc(label)}</dt><dd>${esc(value)}</dd>`;
}

function state(c: PublicCertificate): string {
  if (c.status === 'valid') {
    return '<section class="state valid" id="state" role="status"><strong>有效</strong><span>VALID · 本合格证有效</span></section>';
  }
  const replaced = c.replacedBy
    ? `<p>已重新开具：<a href="${esc(c.replacedBy.url)}">${esc(c.replacedBy.number)}</a></p>` : '';
  const when = c.voided ? BEIJING_DATE.format(new Date(c.voided.at)) : '';
  return `<section class="state voided" id="state" role="alert"><strong>已作废</strong><span>VOIDED · 本合格证已作废，不能作为合格证明</span>
<p>作废日期 ${esc(when)}${c.voided?.reason ? `；原因：${esc(c.voided.reason)}` : ''}</p>${replaced}</section>`;
}

/** /c/{token}: the certificate as printed, under a large VALID / VOIDED state. */
export function renderCertificatePage(c: PublicCertificate): string {
  const basis = c.basis.length
    ? `<h2>承诺依据</h2><ul class="ticks">${c.basis.map((b) => `<li>${b.ticked ? '☑' : '☐'} ${esc(b.label)}</li>`).join('')}</ul>` : '';
  const upstream = c.upstreamNumbers.length
    ? `<h2>收取的上游合格证</h2><ul class="ticks">${c.upstreamNumbers.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
  const trace = c.traceUrl ? `<p><a href="${esc(c.traceUrl)}">查看该批次产品的追溯信息 ›</a></p>` : '';
  return page(`${c.title} ${c.number} · 天府溯源`, `
<header class="top"><h1>天府溯源 · 合格证核验</h1><p>编号 ${esc(c.number)}</p></header>
<main>
${state(c)}
<section class="card" id="certificate">
  <p class="cert-title">${esc(c.title)}</p>
  <dl>
    ${row('产品名称', c.productName)}
    ${row('数量（重量）', `${c.quantity.value} ${c.quantity.unit}`)}
    ${row('产地', c.origin)}
    ${row(c.issuerLabel, c.issuer.name)}
    ${row('联系方式', c.issuer.contact)}
    ${row('开具日期', c.issuedOn)}
    ${row('签名', c.issuer.signedBy)}
    ${row('编号', c.number)}
  </dl>
</section>
<section class="card" id="commitment">
  <h2>承诺声明</h2>
  <p>${esc(c.commitment)}</p>
  ${basis}${upstream}
</section>
${trace}
<p class="muted">模板版本 ${esc(c.templateVersion)}。合格证一经开具不得修改；有误的合格证作废后重新开具。</p>
</main>`);
}
