import { page } from '../../../common/html';
import type { FollowUpView } from '../consumer-reports.service';
import { PHOTO_MAX_FILES, REPORT_CATEGORIES } from '../domain/report-rules';

/** The script of the form: a served file (the consumer pages' CSP allows no inline script). */
export const REPORT_SCRIPT_PATH = '/t/-/feedback.js';

const BEIJING = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
});

/**
 * 问题反馈 for one code: category, text, up to three photos, an optional phone with the consent
 * text. The script shrinks photos in the browser and posts JSON to /api/v1/consumer-reports; the
 * answer's follow-up link is where the producer's reply will be shown.
 */
export function reportFormPage(code: string, productName: string, consent: { text: string; retentionDays: number }): string {
  return page('问题反馈 · 天府溯源', <>
    <header class="top"><h1>问题反馈</h1><p>追溯码 {code}</p></header>
    <main>
      <section class="card">
        <p class="product">{productName}</p>
        <p class="muted">您的反馈会发送给该产品的生产者和所在地监管部门。我们不记录您的 IP 地址；留下手机号是自愿的。</p>
      </section>
      <form class="report card" id="report-form" data-code={code} method="post" action="/api/v1/consumer-reports" novalidate>
        <label>问题类型
          <select name="category" required>
            {Object.entries(REPORT_CATEGORIES).map(([value, text]) => <option value={value}>{text}</option>)}
          </select>
        </label>
        <label>问题描述
          <textarea name="text" rows={5} minLength={5} maxLength={1000} required placeholder="请描述您发现的问题，例如购买地点、时间和具体情况（至少 5 个字）"></textarea>
        </label>
        <label>照片（可选，最多 {PHOTO_MAX_FILES} 张）
          <input type="file" name="photos" accept="image/jpeg,image/png,image/*" multiple />
        </label>
        <label>手机号（可选，便于核实和答复）
          <input type="tel" name="phone" inputMode="tel" autoComplete="tel" maxLength={20} placeholder="11 位手机号" />
        </label>
        <label class="chk"><input type="checkbox" name="phoneConsent" value="true" /> <span>{consent.text}</span></label>
        <p class="err" id="report-error" role="alert" hidden></p>
        <noscript><p class="err">提交反馈需要开启浏览器的脚本功能。也可拨打 12316（农业）或 12315（市场监管）反映。</p></noscript>
        <button type="submit">提交反馈</button>
      </form>
      <p class="muted"><a href={`/t/${code}`}>返回追溯信息</a></p>
    </main>
    <script src={REPORT_SCRIPT_PATH} defer></script>
  </>);
}

/** The reporter's page (only through the link given after sending): the status and the producer's reply. */
export function followUpPage(v: FollowUpView): string {
  return page('我的反馈 · 天府溯源', <>
    <header class="top"><h1>我的反馈</h1><p>追溯码 {v.code}</p></header>
    <main>
      <section class="card" id="report-status">
        <p class="ok">反馈已提交。请收藏本页链接：生产者的答复只显示在这里。</p>
        <dl>
          <dt>提交时间</dt><dd>{BEIJING.format(new Date(v.createdAt))}</dd>
          <dt>问题类型</dt><dd>{v.categoryName}</dd>
          <dt>处理状态</dt><dd>{v.statusName}</dd>
          {v.triageNote && <><dt>监管部门</dt><dd>{v.triageNote}</dd></>}
          <dt>照片</dt><dd>{v.photos} 张</dd>
        </dl>
        <p class="muted">{v.text}</p>
      </section>
      <section class="card" id="report-reply"><h2>生产者答复</h2>
        {v.reply ? <><p class="reply">{v.reply}</p><p class="muted">{BEIJING.format(new Date(v.repliedAt!))}</p></> : <p class="muted">尚未答复。</p>}
      </section>
      <p class="muted"><a href={`/t/${v.code}`}>返回追溯信息</a></p>
    </main>
  </>);
}
