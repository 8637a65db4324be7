import { GI_REGIME_NAMES, GI_REGIMES } from '../../gi';
import type { AuthorisationView, GiView } from '../../gi';
import type { ConsoleContext } from '../console-auth.service';
import { Checkboxes, consolePage, Flash, FormState, Input, PostForm, Select, Shell } from './layout';
import { UNITS } from './parts';

/** GI records per page of the list (cards of about 1 KB with their authorised users: well under 50 KB). */
export const GI_PAGE_ROWS = 15;
/** Authorised users shown on a record's card in the list (the record's page lists them all). */
const CARD_USERS = 4;

export interface GiUser extends AuthorisationView {
  /** Claimed this calendar year, in base units; null when nothing was claimed. */
  used: { value: string; unit: string } | null;
  /** This person may remove the user (its organisation lies in the region). */
  mayRemove: boolean;
}

export interface GiRow {
  gi: GiView;
  users: GiUser[];
  /** This person may revoke the record and manage its users (its protected area lies in the region). */
  mayWrite: boolean;
}

const Q = ({ q }: { q: { value: string; unit: string } | null }) => (q ? <>{q.value} {q.unit}</> : <>0</>);
const areaText = (gi: GiView) => gi.protectedArea.codes.map((c) => c.name).join('、');

function Validity({ gi }: { gi: GiView }) {
  return gi.status === 'revoked'
    ? <><span class="tag bad">已撤销</span> {gi.revokedOn}{gi.revokedReason && <span class="muted">（{gi.revokedReason}）</span>}</>
    : <><span class="tag">有效</span> {gi.announcedOn ? `${gi.announcedOn} 公告起长期有效` : '长期有效'}</>;
}

function UserLine({ u, year }: { u: GiUser; year: number }) {
  const ended = u.status === 'revoked';
  return <>
    <strong>{u.organization.name}</strong>{u.organization.uscc && <span class="muted"> {u.organization.uscc}</span>}
    {ended && <> <span class="tag bad">已取消 {u.revokedOn}</span></>}<br />
    <span class="muted">授权 {u.validFrom} 至 {u.validTo ?? '长期'}；年度配额 {u.yearlyQuota ? <Q q={u.yearlyQuota} /> : '不限'}；{year} 年已用 <Q q={u.used} /></span>
  </>;
}

/** The GI record's facts, shared by the list card and the record's page. */
function Facts({ gi }: { gi: GiView }) {
  return <>
    <strong>{gi.productName}</strong> <span class="muted">{gi.regimeName}</span> <code>{gi.registrationNumber}</code>{gi.chinaEu && <> <span class="tag">中欧互认</span></>}<br />
    持有人：{gi.holder.name ?? ''} <span class="muted">{gi.holder.uscc}</span><br />
    保护范围：{areaText(gi)}<br />
    <Validity gi={gi} />
  </>;
}

export interface GiListData {
  rows: GiRow[];
  next: string | null;
  year: number;
  /** Regions (code, full name) the person may name as a protected area; empty: no create form. */
  regions: [string, string][];
}

/**
 * 地理标志 (regulators): the GI records whose protected area covers or lies in the region, each with
 * its authorised users, yearly quota and what is used of it this year; and the form to record a new
 * GI (the same rules as POST /api/v1/gi: a protected area inside the region). Cards, no tables.
 */
export function giListPage(ctx: ConsoleContext, d: GiListData, state: FormState, key: string, notice?: string): string {
  return consolePage(
    <Shell ctx={ctx} title="地理标志" active="gi">
      <Flash message={notice} />
      <section class="card" id="gi-records"><h2>本辖区的地理标志</h2>
        {d.rows.length === 0 ? <p class="muted">本辖区还没有登记地理标志。</p> : <ul class="list">
          {d.rows.map(({ gi, users }) => {
            const active = users.filter((u) => u.status === 'active');
            return (
              <li>
                <Facts gi={gi} /><br />
                授权使用人 {active.length} 家{users.length > active.length && <span class="muted">（另有已取消 {users.length - active.length} 家）</span>}
                {active.length > 0 && <ul>{active.slice(0, CARD_USERS).map((u) => <li><UserLine u={u} year={d.year} /></li>)}</ul>}
                <a href={`/app/gi/${gi.id}`}>{active.length > CARD_USERS ? `查看全部 ${active.length} 家并管理` : '管理授权使用人'}</a>
              </li>
            );
          })}
        </ul>}
        {d.next && <p><a href={`/app/gi?cursor=${encodeURIComponent(d.next)}`}>更多地理标志</a></p>}
      </section>
      {d.regions.length > 0 && <PostForm action="/app/gi" csrf={ctx.csrf} submit="登记地理标志" formKey={key} state={state}>
        <h2>登记地理标志</h2>
        <Select label="类别" name="regime" state={state} required options={GI_REGIMES.map((r): [string, string] => [r, GI_REGIME_NAMES[r]])} />
        <Input label="登记证书编号" name="registrationNumber" state={state} required hint="农产品地理标志如 AGI02738；地理标志商标填注册号" />
        <Input label="产品名称" name="productName" state={state} required placeholder="如 蒲江猕猴桃" />
        <Input label="持有人统一社会信用代码" name="holderUscc" state={state} required />
        <Input label="持有人名称" name="holderName" state={state} />
        <Input label="保护范围（县、市）" name="areaCodes" state={state} required list="gi-regions" attrs={{ autocomplete: 'off' }}
          hint="输入地名搜索并选择；多个区域用“、”分隔。须在本辖区内" />
        <datalist id="gi-regions">{d.regions.map(([, name]) => <option value={name} />)}</datalist>
        <Input label="保护范围说明" name="areaText" state={state} placeholder="如 蒲江县所辖12个乡镇" />
        <Input label="质量技术要求" name="specReference" state={state} placeholder="如 AGI2019-03-2738" />
        <Input label="公告号" name="announcementNumber" state={state} placeholder="如 农业农村部公告第208号" />
        <Input label="公告日期" name="announcedOn" type="date" state={state} />
        <Checkboxes label="互认" name="chinaEu" state={state} options={[['true', '列入中欧地理标志协定清单']]} />
      </PostForm>}
    </Shell>,
  );
}

export interface GiRecordForms {
  authorise: FormState;
  revoke: FormState;
  /** Forms to remove an authorised user, by authorisation id. */
  removals: Record<string, FormState>;
  key: string;
}

/**
 * One GI record (regulators): its facts, authorised users with quota and use, and — when the
 * protected area lies in the region and the record stands — adding a user, removing one and revoking
 * the record (both destructive: red, a confirmation, a reason).
 */
export function giRecordPage(ctx: ConsoleContext, row: GiRow, year: number, forms: GiRecordForms, notice?: string): string {
  const { gi, users, mayWrite } = row;
  const writable = mayWrite && gi.status === 'active';
  const empty: FormState = { values: {}, problems: { fields: {}, general: null } };
  return consolePage(
    <Shell ctx={ctx} title={`地理标志 ${gi.productName}`} active="gi">
      <Flash message={notice} />
      <section class="card" id="gi-record"><h2>{gi.productName}</h2>
        <p><Facts gi={gi} /></p>
        {gi.specReference && <p class="muted">质量技术要求 {gi.specReference}{gi.announcementNumber && <>；{gi.announcementNumber}</>}</p>}
        {!mayWrite && <p class="muted">保护范围超出本辖区，由上级监管部门管理。</p>}
      </section>
      <section class="card" id="gi-users"><h2>授权使用人</h2>
        {users.length === 0 ? <p class="muted">还没有授权使用人。</p> : <ul class="list">
          {users.map((u) => (
            <li>
              <UserLine u={u} year={year} />
              {writable && u.status === 'active' && u.mayRemove && <PostForm action={`/app/gi/${gi.id}/authorisations/${u.id}/revoke`} csrf={ctx.csrf} submit="取消授权"
                cls="danger-form" state={forms.removals[u.id] ?? empty} confirm={`取消 ${u.organization.name} 的授权？此后其新批次不能再使用该地理标志。`}>
                <Input label="取消原因" name="reason" state={forms.removals[u.id] ?? empty} required />
              </PostForm>}
            </li>
          ))}
        </ul>}
      </section>
      {writable && <PostForm action={`/app/gi/${gi.id}/authorisations`} csrf={ctx.csrf} submit="添加授权使用人" formKey={forms.key} state={forms.authorise}>
        <h2>添加授权使用人</h2>
        <Input label="使用单位统一社会信用代码" name="uscc" state={forms.authorise} required hint="须是本辖区已在平台注册的单位" />
        <Input label="授权自" name="validFrom" type="date" state={forms.authorise} required />
        <Input label="授权至" name="validTo" type="date" state={forms.authorise} hint="不填：长期" />
        <div class="pair">
          <Input label="年度配额" name="yearlyQuota.value" state={forms.authorise} attrs={{ inputmode: 'decimal' }} hint="不填：不限" />
          <Select label="单位" name="yearlyQuota.unit" state={forms.authorise} options={UNITS} />
        </div>
      </PostForm>}
      {writable && <PostForm action={`/app/gi/${gi.id}/revoke`} csrf={ctx.csrf} submit="撤销地理标志" state={forms.revoke} cls="card danger-form"
        confirm={`撤销 ${gi.productName}（${gi.registrationNumber}）？撤销后所有使用人的新批次都不能再使用。`}>
        <h2>撤销地理标志</h2>
        <Input label="撤销原因" name="reason" state={forms.revoke} required />
      </PostForm>}
      <p><a href="/app/gi">返回地理标志列表</a></p>
    </Shell>,
  );
}
