import { createHash } from 'node:crypto';
import { esc } from '../../../common/html';
import type { ConsoleContext } from '../console-auth.service';
import type { FormProblems } from '../domain/error-messages';

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

interface FieldOptions {
  type?: string;
  required?: boolean;
  hint?: string;
  list?: string;
  attrs?: string;
  placeholder?: string;
}

function errorOf(state: FormState, name: string): string {
  const message = state.problems.fields[name];
  return message ? `<p class="err" id="err-${esc(name)}" data-field="${esc(name)}">${esc(message)}</p>` : '';
}

function invalid(state: FormState, name: string): string {
  return state.problems.fields[name] ? ` aria-invalid="true" aria-describedby="err-${esc(name)}"` : '';
}

export function input(label: string, name: string, state: FormState, o: FieldOptions = {}): string {
  return `<label class="f"><span>${esc(label)}${o.required ? ' <b class="req">*</b>' : ''}</span>
<input name="${esc(name)}" type="${o.type ?? 'text'}" value="${esc(value(state, name))}"${o.required ? ' required' : ''}${o.list ? ` list="${esc(o.list)}"` : ''}${o.placeholder ? ` placeholder="${esc(o.placeholder)}"` : ''}${invalid(state, name)} ${o.attrs ?? ''}>
${o.hint ? `<small>${esc(o.hint)}</small>` : ''}${errorOf(state, name)}</label>`;
}

export function textarea(label: string, name: string, state: FormState, o: FieldOptions = {}): string {
  return `<label class="f"><span>${esc(label)}${o.required ? ' <b class="req">*</b>' : ''}</span>
<textarea name="${esc(name)}" rows="3"${invalid(state, name)}>${esc(value(state, name))}</textarea>
${o.hint ? `<small>${esc(o.hint)}</small>` : ''}${errorOf(state, name)}</label>`;
}

export function select(label: string, name: string, state: FormState, options: [string, string][], o: FieldOptions = {}): string {
  const current = value(state, name);
  const opts = options.map(([v, text]) => `<option value="${esc(v)}"${v === current ? ' selected' : ''}>${esc(text)}</option>`).join('');
  return `<label class="f"><span>${esc(label)}${o.required ? ' <b class="req">*</b>' : ''}</span>
<select name="${esc(name)}"${o.required ? ' required' : ''}${invalid(state, name)}>${opts}</select>${errorOf(state, name)}</label>`;
}

export function checkboxes(label: string, name: string, state: FormState, options: [string, string][]): string {
  const checked = new Set(values(state, name));
  return `<fieldset class="f"${invalid(state, name)}><legend>${esc(label)}</legend>${options.map(([v, text]) =>
    `<label class="chk"><input type="checkbox" name="${esc(name)}" value="${esc(v)}"${checked.has(v) ? ' checked' : ''}> ${esc(text)}</label>`).join('')}
${errorOf(state, name)}</fieldset>`;
}

/**
 * A POST form: the session's CSRF token and, for creates, a one-time key so a double click or a
 * resubmitted page creates one thing (the services' Idempotency-Key).
 */
export function form(action: string, csrf: string, body: string, submit: string, o: { key?: string; state?: FormState; cls?: string } = {}): string {
  const general = o.state?.problems.general ? `<p class="err general" role="alert">${esc(o.state.problems.general)}</p>` : '';
  return `<form method="post" action="${esc(action)}" class="${o.cls ?? 'card'}" novalidate>${general}
<input type="hidden" name="_csrf" value="${esc(csrf)}">${o.key ? `<input type="hidden" name="_key" value="${esc(o.key)}">` : ''}
${body}<button type="submit">${esc(submit)}</button></form>`;
}

const NAV: [string, string, string][] = [
  ['home', '/app', '首页'], ['products', '/app/products', '产品'], ['sites', '/app/sites', '基地'],
  ['batches', '/app/batches', '批次'], ['certificates', '/app/certificates', '合格证'], ['collect', '/app/collect', '查验收购'],
  ['dashboard', '/app/dashboard', '质量指标'],
];
/** Regulators read; the producer pages (which write) are not theirs. */
const REGULATOR_NAV: [string, string, string][] = [['dashboard', '/app/dashboard', '质量指标']];

function navFor(ctx: ConsoleContext): [string, string, string][] {
  if (ctx.user.role === 'regulator') return REGULATOR_NAV;
  return ctx.user.role === 'org_admin' ? [...NAV, ['users', '/app/users', '账号']] : NAV;
}

/** `sheet` adds a page-specific stylesheet (the dashboard's tiles and charts) to the shared one. */
export function shell(ctx: ConsoleContext, title: string, body: string, active = '', sheet = ''): string {
  const nav = navFor(ctx)
    .map(([key, href, text]) => `<a href="${href}"${key === active ? ' aria-current="page"' : ''}>${text}</a>`).join('');
  return frame(`${title} · 天府溯源`, `<header class="bar"><div><strong>${esc(ctx.organization.name)}</strong>
<span class="who">${esc(ctx.user.displayName)}</span></div>
<form method="post" action="/app/logout"><input type="hidden" name="_csrf" value="${esc(ctx.csrf)}"><button class="link">退出</button></form></header>
<nav>${nav}</nav><main><h1>${esc(title)}</h1>${body}</main>`, sheet);
}

/**
 * The bare frame (login and invite pages use it without navigation). Styles and script are served
 * files, never inline: the console's CSP allows no inline script or style.
 */
export function frame(title: string, body: string, sheet = ''): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${esc(title)}</title><link rel="stylesheet" href="${CONSOLE_CSS_URL}">${sheet ? `<link rel="stylesheet" href="${esc(sheet)}">` : ''}
<script src="/app/static/console.js" defer></script></head>
<body>${body}</body></html>`;
}

/** A sheet's URL carries its content's hash: a new version is fetched at once, an old one cached long. */
export function versionedUrl(path: string, content: string): string {
  return `${path}?v=${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
}

export const CONSOLE_CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1f2a24;background:#f3f6f4}
.bar{display:flex;justify-content:space-between;align-items:center;background:#1d6b43;color:#fff;padding:10px 14px;gap:8px}
.bar .who{opacity:.85;font-size:13px;margin-left:8px}.bar form{margin:0}
button.link{background:none;border:0;color:#fff;text-decoration:underline;padding:4px;font-size:14px;width:auto;margin:0}
nav{display:flex;overflow-x:auto;background:#fff;border-bottom:1px solid #dde5e0}
nav a{padding:10px 12px;white-space:nowrap;color:#1f2a24;text-decoration:none}nav a[aria-current]{border-bottom:3px solid #1d6b43;font-weight:600}
main{max-width:960px;margin:0 auto;padding:12px}h1{font-size:20px;margin:4px 0 12px}h2{font-size:17px;margin:0 0 8px;color:#1d6b43}
.card{background:#fff;border-radius:10px;padding:14px;margin:0 0 12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.grid{display:grid;gap:12px}@media(min-width:760px){.grid{grid-template-columns:1fr 1fr}}
label.f,fieldset.f{display:block;margin:0 0 12px;border:0;padding:0}label.f span,legend{display:block;font-weight:600;margin-bottom:4px}
input,select,textarea{width:100%;font:inherit;padding:10px;border:1px solid #b9c6be;border-radius:8px;background:#fff}
input[type=checkbox]{width:auto}label.chk{display:block;padding:6px 0}
[aria-invalid=true]{border-color:#c62828;background:#fff6f6}
small{color:#5d6b63}.req{color:#c62828}
.err{color:#c62828;margin:4px 0 0;font-size:14px}.err.general{background:#fdecea;padding:10px;border-radius:8px;margin:0 0 12px}
button{font:inherit;background:#1d6b43;color:#fff;border:0;border-radius:8px;padding:12px 18px;min-height:44px;width:100%;margin-top:4px}
button[disabled]{opacity:.6}button.danger{background:#c62828}@media(min-width:760px){button{width:auto}}
a.btn{display:inline-block;background:#1d6b43;color:#fff;border-radius:8px;padding:10px 14px;text-decoration:none;margin:4px 4px 4px 0}
table{width:100%;border-collapse:collapse;background:#fff}th,td{text-align:left;padding:8px;border-bottom:1px solid #eef2ef;font-size:15px}
.list{list-style:none;margin:0;padding:0}.list li{padding:8px 0;border-bottom:1px solid #eef2ef}
.muted{color:#5d6b63;font-size:13px}.tag{display:inline-block;border-radius:6px;padding:0 6px;font-size:13px;background:#e6f1ea;color:#1d6b43}
.tag.on_hold,.tag.warn{background:#fff4e5;color:#8a5a00}.tag.recalled,.tag.voided,.tag.bad{background:#fdecea;color:#c62828}
.alert{border-left:4px solid #c62828;background:#fff;padding:10px 12px;border-radius:6px;margin:0 0 8px}
.ok{background:#e6f1ea;padding:10px;border-radius:8px;margin:0 0 12px}
.qr svg{width:160px;height:160px}iframe{width:100%;height:480px;border:1px solid #dde5e0;border-radius:10px;background:#fff}
progress{width:100%;height:18px}code{word-break:break-all}.scroll{overflow-x:auto}
video{width:100%;max-width:420px;border-radius:10px;background:#000}a{color:#1d6b43}`;

export function flash(message: string | undefined): string {
  return message ? `<p class="ok" role="status">${esc(message)}</p>` : '';
}

export const STATUS_TEXT: Record<string, string> = { active: '正常', on_hold: '暂停', recalled: '已召回', closed: '已关闭', valid: '有效', voided: '已作废' };

export function statusTag(status: string): string {
  return `<span class="tag ${esc(status)}">${esc(STATUS_TEXT[status] ?? status)}</span>`;
}

export const CONSOLE_CSS_URL = versionedUrl('/app/static/console.css', CONSOLE_CSS);
