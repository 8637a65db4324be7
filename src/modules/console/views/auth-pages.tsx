import type { ConsoleContext } from '../console-auth.service';
import type { ConsoleUser } from '../console-user.entity';
import { consolePage, Csrf, Flash, FormState, Frame, Input, Options, PostForm, Select, Shell } from './layout';
import { PASSWORD_RULES_TEXT } from '../domain/lockout';

export function loginPage(state: FormState, csrf: string, next: string, notice?: string): string {
  return consolePage(
    <Frame title="登录 · 天府溯源">
      <header class="bar"><strong>天府溯源 · 合作社工作台</strong></header>
      <main><h1>登录</h1>
        <PostForm action="/app/login" csrf={csrf} submit="登录" state={state}>
          <Flash message={notice} />
          <Input label="登录名" name="loginName" state={state} required attrs={{ autocomplete: 'username', autocapitalize: 'none' }} />
          <Input label="密码" name="password" state={{ ...state, values: {} }} type="password" required attrs={{ autocomplete: 'current-password' }} />
          <input type="hidden" name="next" value={next} />
        </PostForm>
      </main>
    </Frame>,
  );
}

export function invitePage(token: string, user: ConsoleUser, state: FormState, csrf: string): string {
  const blank = { ...state, values: {} };
  return consolePage(
    <Frame title="设置密码 · 天府溯源">
      <header class="bar"><strong>天府溯源 · 合作社工作台</strong></header>
      <main><h1>接受邀请</h1>
        <PostForm action={`/app/invite/${encodeURIComponent(token)}`} csrf={csrf} submit="设置密码并登录" state={state}>
          <p>您好，{user.displayName}（登录名 <code>{user.loginName}</code>）。请设置密码。</p>
          <Input label="密码" name="password" state={blank} type="password" required hint={`密码要求：${PASSWORD_RULES_TEXT}`}
            attrs={{ autocomplete: 'new-password', minLength: 10, maxLength: 200 }} />
          <Input label="再输一次" name="confirm" state={blank} type="password" required attrs={{ autocomplete: 'new-password' }} />
        </PostForm>
      </main>
    </Frame>,
  );
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

const ROLES: Options = [['operator', '操作员'], ['org_admin', '管理员']];

function KeyLine({ k, csrf }: { k: KeyRow; csrf: string }) {
  return (
    <tr><td><code>{k.tokenPrefix}…</code><br /><span class="muted">{k.label ?? ''}</span></td>
      <td>{ROLE_TEXT[k.role] ?? k.role}</td>
      <td>{k.revokedAt ? '已吊销' : (
        <form method="post" action={`/app/api-keys/${k.id}/revoke`} class="inline"><Csrf token={csrf} /><button class="danger">吊销</button></form>
      )}</td></tr>
  );
}

export function usersPage(ctx: ConsoleContext, users: ConsoleUser[], keys: KeyRow[], inviteState: FormState, keyState: FormState,
  shown: { inviteUrl?: string; token?: string; notice?: string }): string {
  return consolePage(
    <Shell ctx={ctx} title="账号与密钥" active="users">
      <Flash message={shown.notice} />
      {shown.inviteUrl && <div class="ok" role="status">邀请链接（只显示这一次，72 小时内有效）：<br /><code data-invite-url="">{shown.inviteUrl}</code></div>}
      {shown.token && <div class="ok" role="status">新密钥（只显示这一次，请妥善保存）：<br /><code data-api-token="">{shown.token}</code></div>}
      <div class="grid">
        <section class="card"><h2>人员</h2><div class="scroll"><table>
          <tr><th>姓名</th><th>角色</th><th>状态</th></tr>
          {users.map((u) => (
            <tr><td>{u.displayName}<br /><span class="muted">{u.loginName}</span></td>
              <td>{ROLE_TEXT[u.role] ?? u.role}</td><td>{u.passwordHash ? '已启用' : '待接受邀请'}</td></tr>
          ))}
        </table></div></section>
        <section>
          <PostForm action="/app/users/invite" csrf={ctx.csrf} submit="生成邀请链接" state={inviteState}>
            <h2>邀请人员</h2>
            <Input label="登录名" name="loginName" state={inviteState} required hint="字母、数字或 . _ @ -，3–60 位" />
            <Input label="姓名" name="displayName" state={inviteState} required />
            <Select label="角色" name="role" state={inviteState} options={ROLES} />
          </PostForm>
        </section>
      </div>
      <div class="grid">
        <section class="card"><h2>机器密钥（API）</h2><div class="scroll"><table>
          <tr><th>密钥</th><th>角色</th><th></th></tr>
          {keys.map((k) => <KeyLine k={k} csrf={ctx.csrf} />)}
        </table></div></section>
        <section>
          <PostForm action="/app/api-keys" csrf={ctx.csrf} submit="新建密钥" state={keyState}>
            <h2>新建密钥</h2>
            <Select label="角色" name="role" state={keyState} options={ROLES} />
            <Input label="用途" name="label" state={keyState} placeholder="如：包装车间打印机" />
          </PostForm>
        </section>
      </div>
      <section class="card"><h2>事件推送（Webhook）</h2><p class="muted">召回、合格证作废、抽检不合格等事件发生时推送到本单位的系统。</p>
        <p><a class="btn" href="/app/webhooks">管理推送地址</a></p></section>
      <form method="post" action="/app/logout-everywhere" class="card"><Csrf token={ctx.csrf} />
        <h2>安全</h2><p class="muted">在所有设备上退出本账号（手机丢失时使用）。</p><button class="danger">在所有设备上退出</button></form>
    </Shell>,
  );
}
