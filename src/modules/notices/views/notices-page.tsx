import { page } from '../../../common/html';
import type { NoticeItem, RegionNotices } from '../notices.service';

function Section({ title, empty, items }: { title: string; empty: string; items: NoticeItem[] }) {
  return (
    <section class="card"><h2>{title}</h2>
      {items.length === 0 ? <p class="muted">{empty}</p> : <ul>{items.map((i) => <li id={i.anchor}>{i.text}</li>)}</ul>}
    </section>
  );
}

/** The public notices of a region for a period (JSX: every text is escaped when rendered). */
export function renderNoticesPage(n: RegionNotices): string {
  const base = `/notices/${n.region.code}?period=`;
  return page(`${n.region.fullName} · ${n.period.label} 农产品质量安全信息公示 · 天府溯源`, <>
    <header class="top"><h1>农产品质量安全信息公示</h1><p>{n.region.fullName} · {n.period.label}</p></header>
    <main>
      <nav class="card"><a href={base + n.period.previous}>上一期</a> · <a href={base + n.period.next}>下一期</a></nav>
      <Section title="抽检不合格产品" empty="本期没有公示的不合格产品。" items={n.failures} />
      <Section title="产品召回" empty="本期没有产品召回。" items={n.recalls} />
      <Section title="不合格产品处置" empty="本期没有处置记录。" items={n.disposals} />
      <p class="muted">不合格结果在复检申请期满后公示。如发现问题产品，可拨打 12316（农业）或 12315（市场监管）反映。</p>
    </main>
  </>);
}

/** Unknown region or period: a friendly page, not an error document. */
export function renderNoticesNotFound(): string {
  return page('未找到公示信息 · 天府溯源', <>
    <header class="top"><h1>农产品质量安全信息公示</h1></header>
    <main class="notfound">
      <h1>未找到该地区的公示信息</h1>
      <p>请确认地址中的行政区划代码（6 位数字，例如 510131 表示蒲江县）和公示期（例如 2026-11、2026-Q4 或 2026）。</p>
    </main>
  </>);
}
