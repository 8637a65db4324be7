import { chinaDateTime } from '../../../../libs/codes/calendar-date';
import { RECORDED_SCHEMES, SCHEME_DEFINITIONS } from '../../marks';
import type { MarkClaimView, MarkRefusalView, MarkView, StillClaimedMark } from '../../marks';
import type { ConsoleContext } from '../console-auth.service';
import { messageForCode } from '../domain/error-messages';
import { Checkboxes, consolePage, Flash, FormState, Input, PostForm, Select, Shell } from './layout';
import { UNITS } from './parts';

/** Choices of the expiring window, in days (60 unless asked). */
export const EXPIRY_WINDOWS = [30, 60, 90, 180] as const;
export const DEFAULT_EXPIRY_DAYS = 60;
/**
 * Rows per list on the page: claims and refusals page on (links), the certificate lists say how many
 * more there are. At about 0.5 KB a card the page stays under 50 KB for a phone.
 */
export const MARK_PAGE_ROWS = 20;
const CERTIFICATE_ROWS = 30;
const STILL_CLAIMED_ROWS = 20;

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
  const shownExpiring = expiring.slice(0, CERTIFICATE_ROWS);
  const shownStill = d.stillClaimed.slice(0, STILL_CLAIMED_ROWS);
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
              <span class="muted">使用单位：{s.organizations.slice(0, 5).map((o) => o.name).join('、') || '（未知）'}
                {s.organizations.length > 5 && <> 等 {s.organizations.length} 家</>}</span>
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

// ---- a producer's own certificates (认证标志) ------------------------------------------------

export interface OwnMarksData {
  /** Held or licensed marks, any state. */
  marks: MarkView[];
  organizationId: string;
  /** Whether this person may record a certificate (the holder's org_admin, with a USCC on file). */
  mayRecord: boolean;
  hasUscc: boolean;
  products: { id: string; name: string }[];
  sites: { id: string; name: string }[];
}

const STATE_TAG: Record<MarkView['state'], string> = { valid: '', expired: 'warn', revoked: 'bad' };

/**
 * 认证标志: the organisation's 绿色食品 / 有机 / 有机转换 certificates and the brands it is licensed
 * for, each with number, validity and state; an org_admin records a new certificate (checked by the
 * same service as POST /api/v1/marks). Batches then claim them on the new-batch form.
 */
export function ownMarksPage(ctx: ConsoleContext, d: OwnMarksData, state: FormState, key: string, notice?: string): string {
  return consolePage(
    <Shell ctx={ctx} title="认证标志" active="mark-records">
      <Flash message={notice} />
      <section class="card" id="own-marks"><h2>本单位的认证与授权</h2>
        {d.marks.length === 0 ? <p class="muted">还没有登记绿色食品、有机产品证书或品牌授权。</p> : <ul class="list">
          {d.marks.map((m) => (
            <li>
              <strong>{m.schemeName} <code>{m.number}</code></strong> <span class={`tag ${STATE_TAG[m.state]}`}>{m.stateName}</span><br />
              {m.holder.organizationId === d.organizationId ? '本单位持有' : <>授权使用（持有人：{m.holder.name ?? m.holder.uscc}）</>}<br />
              <span class="muted">有效期 {m.validFrom} 至 {m.validTo ?? '长期'}{m.yearlyQuota && <>，年度用量 {m.yearlyQuota.value} {m.yearlyQuota.unit}</>}
                {m.scope.productNames.length > 0 && <>，产品 {m.scope.productNames.join('、')}</>}</span>
            </li>
          ))}
        </ul>}
        <p class="muted">新建批次时可勾选有效的标志，系统按证书的有效期、产品、基地和年度用量核对。</p>
      </section>
      {d.mayRecord && <PostForm action="/app/mark-records" csrf={ctx.csrf} submit="登记证书" formKey={key} state={state}>
        <h2>登记证书</h2>
        <Select label="标志类别" name="scheme" state={state} required
          options={RECORDED_SCHEMES.filter((s) => s !== 'regional_brand').map((s): [string, string] => [s, SCHEME_DEFINITIONS[s].name])} />
        <Input label="证书编号" name="number" state={state} required hint="绿色食品如 LB-15-19012700330A；有机产品如 124OP2500001" />
        <Input label="企业信息码（绿色食品）" name="enterpriseCode" state={state} hint="GF + 12 位，如 GF510131250001，可不填" />
        <Input label="认证机构" name="certifier" state={state} placeholder="如 中国绿色食品发展中心" />
        <Checkboxes label="证书覆盖的产品" name="productIds" state={state} options={d.products.map((p): [string, string] => [p.id, p.name])} />
        <Checkboxes label="认证基地（不选：任何基地）" name="siteIds" state={state} options={d.sites.map((s): [string, string] => [s.id, s.name])} />
        <Input label="有效期自" name="validFrom" type="date" state={state} required />
        <Input label="有效期至" name="validTo" type="date" state={state} required hint="绿色食品最长 3 年，有机产品最长 1 年" />
        <div class="pair">
          <Input label="年度批准产量" name="yearlyQuota.value" state={state} attrs={{ inputmode: 'decimal' }} hint="可不填" />
          <Select label="单位" name="yearlyQuota.unit" state={state} options={UNITS} />
        </div>
      </PostForm>}
      {!d.mayRecord && <p class="muted">{d.hasUscc ? '证书由本单位管理员登记。' : '本单位没有统一社会信用代码，不能登记证书。'}</p>}
    </Shell>,
  );
}
