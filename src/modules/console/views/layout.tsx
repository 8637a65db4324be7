import type { ComponentChildren, JSX, VNode } from 'preact';
import { FAVICON_LINK } from '../../../common/favicon';
import { renderDocument } from '../../../common/html';
import type { ConsoleContext } from '../console-auth.service';
import type { ConsolePage } from '../domain/console-roles';
import type { FormProblems } from '../domain/error-messages';
import { CONSOLE_CSS_URL } from './console-css';

export { CONSOLE_CSS, CONSOLE_CSS_URL, versionedUrl } from './console-css';

/**
 * The console's view parts (JSX, see src/common/html.tsx): the page frame and shell, and form
 * fields that show what the person typed and the problems by field after a refusal.
 */

/** What a form shows again after a refusal: what the person typed, and the problems by field. */
export interface FormState {
  values: Record<string, string | string[]>;
  problems: FormProblems;
}

export const EMPTY_FORM: FormState = { values: {}, problems: { fields: {}, general: null } };

export function formState(values: Record<string, string | string[]>, problems?: FormProblems): FormState {
  return { values, problems: problems ?? { fields: {}, general: null } };
}

export function value(state: FormState, name: string): string {
  const v = state.values[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

export function values(state: FormState, name: string): string[] {
  const v = state.values[name];
  return Array.isArray(v) ? v : v ? [v] : [];
}

/** `[value, text]` pairs of a select or a group of checkboxes. */
export type Options = [string, string][];

interface FieldProps {
  label: string;
  name: string;
  state: FormState;
  required?: boolean;
  hint?: string;
}

export function FieldError({ state, name }: { state: FormState; name: string }) {
  const message = state.problems.fields[name];
  return message ? <p class="err" id={`err-${name}`} data-field={name}>{message}</p> : null;
}

/** aria-invalid and the link to the message, when the field has a problem. */
function invalid(state: FormState, name: string): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } {
  return state.problems.fields[name] ? { 'aria-invalid': 'true', 'aria-describedby': `err-${name}` } : {};
}

function Caption({ label, required }: { label: string; required?: boolean }) {
  return <span>{label}{required && <> <b class="req">*</b></>}</span>;
}

function Hint({ hint }: { hint?: string }) {
  return hint ? <small>{hint}</small> : null;
}

/** Input attributes a field may add (inputmode, autocomplete, min/max, id, readonly …). */
export type InputAttributes = Omit<JSX.IntrinsicElements['input'], 'name' | 'value' | 'type' | 'required' | 'label'>;

export function Input(p: FieldProps & { type?: string; list?: string; placeholder?: string; attrs?: InputAttributes }) {
  return (
    <label class="f"><Caption label={p.label} required={p.required} />
      <input name={p.name} type={p.type ?? 'text'} value={value(p.state, p.name)} required={p.required} list={p.list}
        placeholder={p.placeholder} {...invalid(p.state, p.name)} {...p.attrs} />
      <Hint hint={p.hint} /><FieldError state={p.state} name={p.name} />
    </label>
  );
}

export function Textarea(p: FieldProps) {
  return (
    <label class="f"><Caption label={p.label} required={p.required} />
      <textarea name={p.name} rows={3} {...invalid(p.state, p.name)}>{value(p.state, p.name)}</textarea>
      <Hint hint={p.hint} /><FieldError state={p.state} name={p.name} />
    </label>
  );
}

export function Select(p: FieldProps & { options: Options }) {
  const current = value(p.state, p.name);
  return (
    <label class="f"><Caption label={p.label} required={p.required} />
      <select name={p.name} required={p.required} {...invalid(p.state, p.name)}>
        {p.options.map(([v, text]) => <option value={v} selected={v === current}>{text}</option>)}
      </select>
      <FieldError state={p.state} name={p.name} />
    </label>
  );
}

export function Checkboxes(p: Omit<FieldProps, 'required' | 'hint'> & { options: Options }) {
  const checked = new Set(values(p.state, p.name));
  return (
    <fieldset class="f" {...invalid(p.state, p.name)}><legend>{p.label}</legend>
      {p.options.map(([v, text]) => <label class="chk"><input type="checkbox" name={p.name} value={v} checked={checked.has(v)} /> {text}</label>)}
      <FieldError state={p.state} name={p.name} />
    </fieldset>
  );
}

/** The session's CSRF token, for every POST form. */
export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/**
 * A POST form: the session's CSRF token and, for creates, a one-time key so a double click or a
 * resubmitted page creates one thing (the services' Idempotency-Key).
 */
export function PostForm(p: {
  action: string; csrf: string; submit: string; formKey?: string; state?: FormState; cls?: string; children?: ComponentChildren;
  /** A destructive action: a red button, and the browser asks this question before sending. */
  confirm?: string;
}) {
  const general = p.state?.problems.general;
  return (
    <form method="post" action={p.action} class={p.cls ?? 'card'} novalidate data-confirm={p.confirm}>
      {general && <p class="err general" role="alert">{general}</p>}
      <Csrf token={p.csrf} />
      {p.formKey && <input type="hidden" name="_key" value={p.formKey} />}
      {p.children}
      <button type="submit" class={p.confirm ? 'danger' : undefined}>{p.submit}</button>
    </form>
  );
}

const NAV: [ConsolePage, string, string][] = [
  ['gate', '/app/gate', '入场查验'], ['sellers', '/app/sellers', '销售者与摊位'],
  ['home', '/app', '首页'], ['products', '/app/products', '产品'], ['sites', '/app/sites', '基地'], ['farm', '/app/farm', '农事'],
  ['batches', '/app/batches', '批次'], ['certificates', '/app/certificates', '合格证'], ['mark-records', '/app/mark-records', '认证标志'], ['collect', '/app/collect', '查验收购'],
  ['shipments', '/app/shipments', '发货收货'], ['lab', '/app/lab', '样品检测'], ['sampling', '/app/sampling', '抽检计划'], ['inspections', '/app/inspections', '巡查'],
  ['listings', '/app/listings', '网店与直播'], ['dashboard', '/app/dashboard', '质量指标'], ['findings', '/app/findings', '整改'], ['reports', '/app/reports', '问题反馈'],
  ['marks', '/app/marks', '质量标志'], ['gi', '/app/gi', '地理标志'],
  ['users', '/app/users', '账号'],
];

/** May this person open that workspace? Views show links and forms only for these. */
export function can(ctx: ConsoleContext, page: ConsolePage): boolean {
  return ctx.pages.includes(page);
}

/** The person's workspaces only (the gate refuses the others). */
function navFor(ctx: ConsoleContext): [string, string, string][] {
  return NAV.filter(([key]) => can(ctx, key));
}

/**
 * The bare frame (login and invite pages use it without navigation). Styles and script are served
 * files, never inline: the console's CSP allows no inline script or style.
 */
export function Frame({ title, sheet, script, children }: { title: string; sheet?: string; script?: string; children?: ComponentChildren }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" /><meta name="robots" content="noindex" />
        <title>{title}</title>
        <link rel="icon" href={FAVICON_LINK} type="image/svg+xml" />
        <link rel="stylesheet" href={CONSOLE_CSS_URL} />
        {sheet && <link rel="stylesheet" href={sheet} />}
        <script src="/app/static/console.js" defer></script>
        {script && <script src={script} defer></script>}
      </head>
      <body>{children}</body>
    </html>
  );
}

/** A signed-in page: organisation, person, logout, navigation. `sheet` adds a page-specific stylesheet (the dashboard's), `script` a page's own script. */
export function Shell({ ctx, title, active = '', sheet, script, children }: { ctx: ConsoleContext; title: string; active?: string; sheet?: string; script?: string; children?: ComponentChildren }) {
  return (
    <Frame title={`${title} · 天府溯源`} sheet={sheet} script={script}>
      <header class="bar">
        <div><strong>{ctx.organization.name}</strong><span class="who">{ctx.user.displayName}</span></div>
        <form method="post" action="/app/logout"><Csrf token={ctx.csrf} /><button class="link">退出</button></form>
      </header>
      <nav>{navFor(ctx).map(([key, href, text]) => <a href={href} aria-current={key === active ? 'page' : undefined}>{text}</a>)}</nav>
      <main><h1>{title}</h1>{children}</main>
    </Frame>
  );
}

/** A console page as a document. */
export function consolePage(page: VNode): string {
  return renderDocument(page);
}

export function Flash({ message }: { message?: string }) {
  return message ? <p class="ok" role="status">{message}</p> : null;
}

export const STATUS_TEXT: Record<string, string> = { active: '正常', on_hold: '暂停', recalled: '已召回', closed: '已关闭', valid: '有效', voided: '已作废' };

export function StatusTag({ status }: { status: string }) {
  return <span class={`tag ${status}`}>{STATUS_TEXT[status] ?? status}</span>;
}
