import type { BatchView } from '../../batches';
import type { CertificateView } from '../../certificates';
import type { TestRecordView } from '../../test-records';
import type { ConsoleContext } from '../console-auth.service';
import { consolePage, Csrf, Flash, Shell } from './layout';
import { BatchLine, CertLine } from './parts';

export interface HomeData {
  today: string;
  batches: BatchView[];
  certificates: CertificateView[];
  held: BatchView[];
  recalled: BatchView[];
  failedTests: { batch: BatchView; test: TestRecordView }[];
}

function Alert({ what, batch, note }: { what: string; batch: BatchView; note: string }) {
  return <div class="alert"><strong>{what}</strong> <a href={`/app/batches/${batch.id}`}>{batch.product.name} · {batch.lotCode}</a> {note}</div>;
}

/** A producer's day: what needs attention, today's batches and certificates. */
export function homePage(ctx: ConsoleContext, d: HomeData, notice?: string): string {
  const alerts = [
    ...d.recalled.map((b) => <Alert what="召回" batch={b} note={b.statusReason ?? ''} />),
    ...d.held.map((b) => <Alert what="暂停" batch={b} note={b.statusReason ?? ''} />),
    ...d.failedTests.map(({ batch, test }) => <Alert what="检测不合格" batch={batch} note={test.testedOn} />),
  ];
  return consolePage(
    <Shell ctx={ctx} title={`今天 ${d.today}`} active="home">
      <Flash message={notice} />
      <section class="card" aria-labelledby="h-alerts"><h2 id="h-alerts">提醒</h2>
        {alerts.length ? alerts : <p class="muted">没有暂停、召回或不合格的批次。</p>}</section>
      <div class="grid">
        <section class="card"><h2>今天的批次</h2>
          {d.batches.length ? <ul class="list">{d.batches.map((b) => <BatchLine b={b} />)}</ul> : <p class="muted">今天还没有新批次。</p>}
          <a class="btn" href="/app/batches/new">新建批次</a></section>
        <section class="card"><h2>今天的合格证</h2>
          {d.certificates.length ? <ul class="list">{d.certificates.map((c) => <CertLine c={c} />)}</ul> : <p class="muted">今天还没有开具合格证。</p>}</section>
      </div>
      <form method="post" action="/app/logout-everywhere" class="card"><Csrf token={ctx.csrf} />
        <p class="muted">手机丢失？可在所有设备上退出本账号。</p><button class="danger">在所有设备上退出</button></form>
    </Shell>,
  );
}
