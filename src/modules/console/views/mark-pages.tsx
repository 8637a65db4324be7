import { chinaDateTime } from '../../../../libs/codes/calendar-date';
import { RECORDED_SCHEMES, SCHEME_DEFINITIONS } from '../../marks';
import type { MarkClaimView, MarkRefusalView, MarkView, StillClaimedMark } from '../../marks';
import type { ConsoleContext } from '../console-auth.service';
import { messageForCode } from '../domain/error-messages';
import { consolePage, Shell } from './layout';

/** Choices of the expiring window, in days (60 unless asked). */
export const EXPIRY_WINDOWS = [30, 60, 90, 180] as const;
export const DEFAULT_EXPIRY_DAYS = 60;
/** Rows per list on the page (the page stays small on a phone; the API pages further). */
export const MARK_PAGE_ROWS = 30;

export interface MarksPageData {
  scheme: string;
  days: number;
  today: string;
  claims: MarkClaimView[];
  claimsNext: string | null;
  refusals: MarkRefusalView[];
  refusalsNext: string | null;
  expiring: MarkView[];
  stillClaimed: StillClaimedMark[];
}

const when = (iso: string) => chinaDateTime(new Date(iso));
const schemeName = (scheme: string) => (Object.hasOwn(SCHEME_DEFINITIONS, scheme) ? SCHEME_DEFINITIONS[scheme as keyof typeof SCHEME_DEFINITIONS].name : scheme);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

function href(d: Pick<MarksPageData, 'scheme' | 'days'>, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ ...(d.scheme ? { scheme: d.scheme } : {}), ...(d.days !== DEFAULT_EXPIRY_DAYS ? { days: String(d.days) } : {}), ...extra });
  const s = q.toString();
  return s ? `/app/marks?${s}` : '/app/marks';
}

function Party({ org }: { org: { name: string; uscc: string | null } | null }) {
  return org ? <>{org.name}{org.uscc && <span class="muted"> {org.uscc}</span>}</> : <span class="muted">（未知单位）</span>;
}

function MarkName({ mark, scheme }: { mark: { number: string } | null; scheme: string }) {
  return <>{schemeName(scheme)} <code>{mark?.number ?? ''}</code></>;
}

function More({ shown, total }: { shown: number; total: number }) {
  return total > shown ? <p class="muted">另有 {total - shown} 条未列出，请缩小范围或用 API 导出。</p> : null;
}

/**
 * 质量标志 (regulators): in the region, certificates ending soon and expired ones still being claimed,
 * refused claims (possible misuse: code and organisation) and the latest claims, filtered by scheme.
 * Cards and lists, no tables: it reads on a 360 px phone. Nothing here writes.
 */
export function marksPage(ctx: ConsoleContext, d: MarksPageData): string {
  const expiring = d.expiring.filter((m) => m.validTo !== null && m.validTo >= d.today);
  const shownExpiring = expiring.slice(0, 50);
  const shownStill = d.stillClaimed.slice(0, 50);
  return consolePage(
    <Shell ctx={ctx} title="质量标志监管" active="marks">
      <section class="card">
        <p class="muted">本辖区绿色食品、有机产品、有机转换和区域公用品牌标志的使用情况：被拒绝的使用可能是违规用标，请结合巡查核实。地理标志的使用见地理标志用量统计。</p>
        <p id="scheme-filter">{[['', '全部'] as const, ...RECORDED_SCHEMES.map((s) => [s, SCHEME_DEFINITIONS[s].name] as const)].map(([value, text]) => (
          <a class="chip" href={href({ scheme: value, days: d.days })} aria-current={d.scheme === value ? 'page' : undefined}>{text}</a>
        ))}</p>
      </section>

      <section class="card" id="still-claimed"><h2>已过期仍在使用</h2>
        {shownStill.length === 0 ? <p class="muted">没有过期后仍被使用的证书。</p> : <ul class="list">
          {shownStill.map((s) => (
            <li>
              <strong><MarkName mark={s.mark} scheme={s.mark.scheme} /></strong> <span class="tag bad">已过期 {s.mark.validTo}</span><br />
              持有人：{s.mark.holder.name ?? s.mark.holder.uscc}<br />
              过期后：使用 {s.claimsAfterExpiry} 次，被拒 {s.refusalsAfterExpiry} 次；最近 {when(s.lastAttemptAt)}<br />
              <span class="muted">使用单位：{s.organizations.map((o) => o.name).join('、') || '（未知）'}</span>
            </li>
          ))}
        </ul>}
        <More shown={shownStill.length} total={d.stillClaimed.length} />
      </section>

      <section class="card" id="expiring"><h2>{d.days} 天内到期的证书</h2>
        <p>{EXPIRY_WINDOWS.map((n) => <a class="chip" href={href({ scheme: d.scheme, days: n })} aria-current={d.days === n ? 'page' : undefined}>{n} 天</a>)}</p>
        {shownExpiring.length === 0 ? <p class="muted">{d.days} 天内没有到期的证书。</p> : <ul class="list">
          {shownExpiring.map((m) => (
            <li>
              <strong><MarkName mark={m} scheme={m.scheme} /></strong> <span class="tag warn">还剩 {daysBetween(d.today, m.validTo!)} 天</span><br />
              持有人：{m.holder.name ?? m.holder.uscc}<br />
              <span class="muted">有效期 {m.validFrom} 至 {m.validTo}{m.certifier && <>，认证机构 {m.certifier}</>}</span>
            </li>
          ))}
        </ul>}
        <More shown={shownExpiring.length} total={expiring.length} />
      </section>

      <section class="card" id="refusals"><h2>被拒绝的使用（疑似违规用标）</h2>
        {d.refusals.length === 0 ? <p class="muted">没有被拒绝的使用。</p> : <ul class="list">
          {d.refusals.map((r) => (
            <li>
              <strong><Party org={r.organization} /></strong><br />
              <MarkName mark={r.mark} scheme={r.scheme} /><br />
              <span class="tag bad">{r.reason}</span> {messageForCode(r.reason)}<br />
              <span class="muted">{when(r.createdAt)} · 生产日期 {r.claimedOn} · {r.quantity.value} {r.quantity.unit} · 地区 {r.regionCode}</span>
            </li>
          ))}
        </ul>}
        {d.refusalsNext && <p><a href={href(d, { refusals: d.refusalsNext })}>更早的被拒记录</a></p>}
      </section>

      <section class="card" id="claims"><h2>最近的标志使用</h2>
        {d.claims.length === 0 ? <p class="muted">没有标志使用记录。</p> : <ul class="list">
          {d.claims.map((c) => (
            <li>
              <strong><Party org={c.organization} /></strong><br />
              <MarkName mark={c.mark} scheme={c.scheme} /><br />
              <span class="muted">{when(c.createdAt)} · 生产日期 {c.claimedOn} · {c.quantity.value} {c.quantity.unit} · </span>
              <a href={`/app/batches/${c.batchId}`}>查看批次</a>
            </li>
          ))}
        </ul>}
        {d.claimsNext && <p><a href={href(d, { claims: d.claimsNext })}>更早的使用记录</a></p>}
      </section>
    </Shell>,
  );
}
