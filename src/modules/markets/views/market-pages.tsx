import { page } from '../../../common/html';
import type { MarketBoardView, PublicLot, StallPageView } from '../market-public.service';

const PROOF: Record<PublicLot['proof'], string> = { trace_code: '追溯码', certificate: '合格证', other_proof: '其他证明' };

function Certificate({ lot }: { lot: PublicLot }) {
  if (!lot.certificate) return <span class="muted">{PROOF[lot.proof]}</span>;
  return <><a href={lot.certificate.url}>{lot.certificate.number}</a> {lot.certificate.status === 'valid' ? <span class="cert-valid">有效</span> : <span class="cert-voided">已作废</span>}</>;
}

function Test({ lot }: { lot: PublicLot }) {
  if (!lot.rapidTest) return null;
  return lot.rapidTest.result === 'pass' ? <span class="verdict pass">合格</span> : <span class="verdict fail">不合格</span>;
}

function Complaint({ market }: { market: { complaintPhone: string | null } }) {
  return (
    <p class="muted">
      {market.complaintPhone && <>市场投诉电话 <a href={`tel:${market.complaintPhone}`}>{market.complaintPhone}</a>；</>}
      监管投诉 12315（市场监管）· 12316（农业）
    </p>
  );
}

function Tests({ tests, withStall }: { tests: PublicLot[]; withStall: boolean }) {
  if (tests.length === 0) return <p class="muted">今日暂无快检记录</p>;
  return (
    <table class="day">
      <tr><th>产品</th>{withStall && <th>摊位</th>}<th>检测项目</th><th>结果</th></tr>
      {tests.map((t) => <tr><td>{t.productName}</td>{withStall && <td>{t.stallNumber ?? '—'}</td>}<td>{t.rapidTest!.analyte}</td><td><Test lot={t} /></td></tr>)}
    </table>
  );
}

/** /s/{code}: 一店一码 — what the stall sells today, from where, on which certificates, and today's tests. */
export function renderStallPage(v: StallPageView): string {
  return page(`${v.market.name} ${v.stallNumber} 号摊位 · 天府溯源`, <>
    <header class="top"><h1>天府溯源 · 一店一码</h1><p>{v.market.name} · {v.stallNumber} 号摊位</p></header>
    <main>
      <section class="card" id="stall">
        <dl>
          <dt>市场</dt><dd>{v.market.name}</dd>
          <dt>摊位</dt><dd>{v.stallNumber}</dd>
          <dt>经营者</dt><dd>{v.sellerName ?? '—'}</dd>
          <dt>日期</dt><dd>{v.on}</dd>
        </dl>
      </section>
      <section class="card" id="goods"><h2>今日在售</h2>
        {v.lots.length === 0 ? <p class="muted">今日暂无入场查验记录</p> : (
          <ul class="certs">{v.lots.map((l) => (
            <li><strong>{l.productName}</strong> · {l.quantity}<br />
              <span class="muted">产地</span> {l.origin ?? '未申报'}<br />
              <span class="muted">凭证</span> <Certificate lot={l} />{l.rapidTest && <> · 快检 <Test lot={l} /></>}</li>
          ))}</ul>
        )}
      </section>
      <section class="card" id="tests"><h2>今日快检结果</h2><Tests tests={v.tests} withStall={false} /></section>
      <p><a href={`/m/${v.market.id}`}>查看市场信息公示 ›</a></p>
      <Complaint market={v.market} />
    </main>
  </>);
}

/** /m/{marketId}?on=: the market's 信息公示栏 for one day — test results, disposals of failed goods, complaint phone. */
export function renderMarketBoard(v: MarketBoardView): string {
  return page(`${v.market.name} 信息公示 ${v.on} · 天府溯源`, <>
    <header class="top"><h1>天府溯源 · 市场信息公示</h1><p>{v.market.name} · {v.on}</p></header>
    <main>
      <section class="card" id="summary"><p>当日入场查验通过 <strong>{v.entered}</strong> 批；拒绝入场 <strong>{v.refused.length}</strong> 批。</p></section>
      <section class="card" id="tests"><h2>快检结果</h2><Tests tests={v.tests} withStall={true} /></section>
      <section class="card" id="disposals"><h2>不合格产品处置</h2>
        {v.refused.length === 0 ? <p class="muted">当日无不合格或拒绝入场的产品</p> : (
          <table class="day">
            <tr><th>产品</th><th>摊位</th><th>原因</th><th>处置</th></tr>
            {v.refused.map((r) => (
              <tr><td>{r.productName}<br /><span class="muted">{r.quantity}</span></td><td>{r.stallNumber ?? '—'}</td><td>{r.reason ?? ''}</td>
                <td>{r.disposal ? <>{r.disposal.method}{r.disposal.note && <><br /><span class="muted">{r.disposal.note}</span></>}</> : <span class="badge-red">待处置</span>}</td></tr>
            ))}
          </table>
        )}
      </section>
      <section class="card" id="complaints"><h2>投诉举报</h2><Complaint market={v.market} /></section>
    </main>
  </>);
}
