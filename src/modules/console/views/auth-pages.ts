import { esc } from '../../../common/html';
import type { ConsoleContext } from '../console-auth.service';
import type { ConsoleUser } from '../console-user.entity';
import { FormState, form, frame, input, select, shell } from './layout';

export function loginPage(state: FormState, csrf: string, next: string, notice?: string): string {
  const body = `${notice ? `<p class="ok" role="status">${esc(notice)}</p>` : ''}
${input('登录名', 'loginName', state, { required: true, attrs: 'autocomplete="username" autocapitalize="none"' })}
${input('密码', 'password', { ...state, values: {} }, { type: 'password', required: true, attrs: 'autocomplete="current-password"' })}
<input type="hidden" name="next" value="${esc(next)}">`;
  return frame('登录 · 天府溯源', `<header class="bar"><strong>天府溯源 · 合作社工作台</strong></header>
<main><h1>登录</h1>${form('/app/login', csrf, body, '登录', { state })}</main>`);
}

export function invitePage(token: string, user: ConsoleUser, state: FormState, csrf: string): string {
  const body = `<p>您好，${esc(user.displayName)}（登录名 <code>${esc(user.loginName)}</code>）。请设置密码，至少 10 个字符。</p>
${input('密码', 'password', { ...state, values: {} }, { type: 'password', required: true, attrs: 'autocomplete="new-password"' })}
${input('再输一次', 'confirm', { ...state, values: {} }, { type: 'password', required: true, attrs: 'autocomplete="new-password"' })}`;
  return frame('设置密码 · 天府溯源', `<header class="bar"><strong>天府溯源 · 合作社工作台</strong></header>
<main><h1>接受邀请</h1>${form(`/app/invite/${encodeURIComponent(token)}`, csrf, body, '设置密码并登录', { state })}</main>`);
}

export const ROLE_TEXT: Record<string, string> = { org_admin: '管理员', operator: '操作员', lab: '检测机构', regulator: '监管' };

export interface KeyRow {
  id: string;
  role: string;
  label: string | null;
  tokenPrefix: string;
  createdAt: string;
  revokedAt: string | null;
}

export function usersPage(ctx: ConsoleContext, users: ConsoleUser[], keys: KeyRow[], inviteState: FormState, keyState: FormState,
  shown: { inviteUrl?: string; token?: string; notice?: string }): string {
  const rows = users.map((u) => `<tr><td>${esc(u.displayName)}<br><span class="muted">${esc(u.loginName)}</span></td>
<td>${esc(ROLE_TEXT[u.role] ?? u.role)}</td><td>${u.passwordHash ? '已启用' : '待接受邀请'}</td></tr>`).join('');
  const keyRows = keys.map((k) => `<tr><td><code>${esc(k.tokenPrefix)}…</code><br><span class="muted">${esc(k.label ?? '')}</span></td>
<td>${esc(ROLE_TEXT[k.role] ?? k.role)}</td><td>${k.revokedAt ? '已吊销' : `<form method="post" action="/app/api-keys/${esc(k.id)}/revoke" class="inline">
<input type="hidden" name="_csrf" value="${esc(ctx.csrf)}"><button class="danger">吊销</button></form>`}</td></tr>`).join('');
  const roles: [string, string][] = [['operator', '操作员'], ['org_admin', '管理员']];
  return shell(ctx, '账号与密钥', `
${shown.notice ? `<p class="ok" role="status">${esc(shown.notice)}</p>` : ''}
${shown.inviteUrl ? `<div class="ok" role="status">邀请链接（只显示这一次，72 小时内有效）：<br><code data-invite-url>${esc(shown.inviteUrl)}</code></div>` : ''}
${shown.token ? `<div class="ok" role="status">新密钥（只显示这一次，请妥善保存）：<br><code data-api-token>${esc(shown.token)}</code></div>` : ''}
<div class="grid"><section class="card"><h2>人员</h2><div class="scroll"><table><tr><th>姓名</th><th>角色</th><th>状态</th></tr>${rows}</table></div></section>
<section>${form('/app/users/invite', ctx.csrf, `<h2>邀请人员</h2>
${input('登录名', 'loginName', inviteState, { required: true, hint: '字母、数字或 . _ @ -，3–60 位' })}
${input('姓名', 'displayName', inviteState, { required: true })}
${select('角色', 'role', inviteState, roles)}`, '生成邀请链接', { state: inviteState })}</section></div>
<div class="grid"><section class="card"><h2>机器密钥（API）</h2><div class="scroll"><table><tr><th>密钥</th><th>角色</th><th></th></tr>${keyRows}</table></div></section>
<section>${form('/app/api-keys', ctx.csrf, `<h2>新建密钥</h2>
${select('角色', 'role', keyState, roles)}${input('用途', 'label', keyState, { placeholder: '如：包装车间打印机' })}`, '新建密钥', { state: keyState })}</section></div>
<form method="post" action="/app/logout-everywhere" class="card"><input type="hidden" name="_csrf" value="${esc(ctx.csrf)}">
<h2>安全</h2><p class="muted">在所有设备上退出本账号（手机丢失时使用）。</p><button class="danger">在所有设备上退出</button></form>`, 'users');
}
