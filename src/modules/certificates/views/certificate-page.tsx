import { page } from '../../../common/html';
import type { PublicCertificate } from '../domain/public-certificate';
import { Row } from '../../../common/views';

const BEIJING_DATE = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

function State({ c }: { c: PublicCertificate }) {
  if (c.status === 'valid') {
    return <section class="state valid" id="state" role="status"><strong>有效</strong><span>VALID · 本合格证有效</span></section>;
  }
  const when = c.voided ? BEIJING_DATE.format(new Date(c.voided.at)) : '';
  return (
    <section class="state voided" id="state" role="alert"><strong>已作废</strong><span>VOIDED · 本合格证已作废，不能作为合格证明</span>
      <p>作废日期 {when}{c.voided?.reason ? `；原因：${c.voided.reason}` : ''}</p>
      {c.replacedBy && <p>已重新开具：<a href={c.replacedBy.url}>{c.replacedBy.number}</a></p>}
    </section>
  );
}

/** /c/{token}: the certificate as printed, under a large VALID / VOIDED state. */
export function renderCertificatePage(c: PublicCertificate): string {
  return page(`${c.title} ${c.number} · 天府溯源`, <>
    <header class="top"><h1>天府溯源 · 合格证核验</h1><p>编号 {c.number}</p></header>
    <main>
      <State c={c} />
      <section class="card" id="certificate">
        <p class="cert-title">{c.title}</p>
        <dl>
          <Row label="产品名称" value={c.productName} />
          <Row label="数量（重量）" value={`${c.quantity.value} ${c.quantity.unit}`} />
          <Row label="产地" value={c.origin} />
          <Row label={c.issuerLabel} value={c.issuer.name} />
          <Row label="联系方式" value={c.issuer.contact} />
          <Row label="开具日期" value={c.issuedOn} />
          <Row label="签名" value={c.issuer.signedBy} />
          <Row label="编号" value={c.number} />
        </dl>
      </section>
      <section class="card" id="commitment">
        <h2>承诺声明</h2>
        <p>{c.commitment}</p>
        {c.basis.length > 0 && <>
          <h2>承诺依据</h2>
          <ul class="ticks">{c.basis.map((b) => <li>{b.ticked ? '☑' : '☐'} {b.label}</li>)}</ul>
        </>}
        {c.upstreamNumbers.length > 0 && <>
          <h2>收取的上游合格证</h2>
          <ul class="ticks">{c.upstreamNumbers.map((n) => <li>{n}</li>)}</ul>
        </>}
      </section>
      {c.traceUrl && <p><a href={c.traceUrl}>查看该批次产品的追溯信息 ›</a></p>}
      <p class="muted">模板版本 {c.templateVersion}。合格证一经开具不得修改；有误的合格证作废后重新开具。</p>
    </main>
  </>);
}
