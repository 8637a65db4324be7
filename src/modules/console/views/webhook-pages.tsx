import type { ConsoleContext } from '../console-auth.service';
import { Checkboxes, consolePage, Csrf, Flash, FormState, Input, Options, PostForm, Shell } from './layout';

export interface WebhookRow {
  id: string;
  url: string;
  kinds: string[] | null;
  createdAt: string;
}

/** The notification kinds an organisation's webhook may ask for (all when none is ticked). */
export const WEBHOOK_KINDS: Options = [
  ['batch.recalled', '批次召回'], ['certificate.voided', '合格证作废'], ['sample.failed', '抽检不合格'],
  ['recall.created', '发起召回'], ['recall.affected', '受召回影响'], ['recall.overdue', '召回逾期'],
  ['inspection.findings', '巡查发现问题'], ['inspection.finding_overdue', '整改逾期'],
  ['consumer_report.created', '消费者反馈'], ['consumer_report.counterfeit_suspected', '疑似假冒'],
];

const KIND_TEXT = Object.fromEntries(WEBHOOK_KINDS);

/** An org_admin's webhooks (事件推送): the organisation's subscriptions, a new one (secret shown once), removal. */
export function webhooksPage(ctx: ConsoleContext, hooks: WebhookRow[], state: FormState, shown: { secret?: string; notice?: string }): string {
  return consolePage(
    <Shell ctx={ctx} title="事件推送（Webhook）" active="users">
      <Flash message={shown.notice} />
      {shown.secret && <div class="ok" role="status">签名密钥（只显示这一次，请保存到接收系统，用于校验 <code>X-Tianfu-Signature</code>）：<br /><code data-webhook-secret="">{shown.secret}</code></div>}
      <section class="card"><h2>已订阅（{hooks.length}）</h2>
        {hooks.length ? <div class="scroll"><table><thead><tr><th scope="col">地址</th><th scope="col">事件</th><th scope="col"></th></tr></thead>
          <tbody>{hooks.map((h) => (
            <tr><td><code>{h.url}</code></td><td>{h.kinds ? h.kinds.map((k) => KIND_TEXT[k] ?? k).join('、') : '全部事件'}</td>
              <td><form method="post" action={`/app/webhooks/${h.id}/delete`} class="inline" data-confirm={`确认删除推送地址 ${h.url}？`}>
                <Csrf token={ctx.csrf} /><button class="danger">删除</button></form></td></tr>
          ))}</tbody></table></div> : <p class="muted">还没有推送地址。</p>}
      </section>
      <PostForm action="/app/webhooks" csrf={ctx.csrf} submit="添加推送地址" state={state}>
        <h2>添加推送地址</h2>
        <Input label="接收地址（URL）" name="url" state={state} required type="url" placeholder="https://erp.example.cn/hooks/tianfu" hint="须是公网上另一台机器的 http(s) 地址" />
        <Checkboxes label="推送哪些事件（不选则全部）" name="kinds" state={state} options={WEBHOOK_KINDS} />
      </PostForm>
      <p><a href="/app/users">返回账号与密钥</a></p>
    </Shell>,
  );
}
