import { consolePage, Flash, FormState, Input, PostForm, Shell } from '../../console';
import type { ConsoleContext } from '../../console';
import type { MarketSamplingFigure } from '../../market-sampling';
import { percent } from '../domain/table';
import { DASHBOARD_CSS_URL } from './dashboard-pages';

export interface ImportProblemView {
  row: number;
  column: string | null;
  code: string;
  message: string;
}

/**
 * A provincial regulator's import of the market regulator's published food-sampling results
 * (CSV: period, region_code, samples, failed), and the figures already imported.
 */
export function marketSamplingPage(
  ctx: ConsoleContext, figures: MarketSamplingFigure[], state: FormState, problems: ImportProblemView[], notice?: string,
): string {
  const csv = state.values.csv;
  return consolePage(
    <Shell ctx={ctx} title="市场监管部门食品抽检结果" active="dashboard" sheet={DASHBOARD_CSS_URL}>
      <Flash message={notice} />
      <p class="muted">规划考核的“食品抽检合格率”是市场监管部门全品类食品安全监督抽检的合格率；本平台自己的抽检只覆盖农业农村部门抽查的食用农产品。
        在这里导入市场监管部门公布的抽检结果，质量指标页会把它与本平台的数字并排显示。</p>
      {problems.length > 0 && (
        <section class="card" role="alert"><h2>文件有 {problems.length} 处问题，未导入任何数据</h2>
          <div class="scroll"><table><thead><tr><th scope="col">行</th><th scope="col">列</th><th scope="col">问题</th></tr></thead>
            <tbody>{problems.slice(0, 200).map((p) => <tr><td>{p.row}</td><td>{p.column ?? '—'}</td><td>{p.message}</td></tr>)}</tbody></table></div>
        </section>
      )}
      <PostForm action="/app/dashboard/market-sampling" csrf={ctx.csrf} submit="导入" state={state}>
        <h2>导入 CSV</h2>
        <p class="muted">列：period（统计期间：2026、2026-Q3、2026-H1 或 2026-05），region_code（地区代码，如 510000），samples（抽检批次），failed（不合格批次）。
          同一期间再次导入时，本省该期间的数据整体替换。</p>
        <Input label="来源（公告名称）" name="source" state={state} required hint="如：四川省市场监督管理局 2026 年第三季度食品安全监督抽检情况通告" />
        <Input label="文件名" name="fileName" state={state} hint="可选" />
        <label class="f"><span>选择 CSV 文件</span><input type="file" accept=".csv,text/csv" data-into="#market-csv" /></label>
        <label class="f"><span>或粘贴 CSV 内容</span>
          <textarea id="market-csv" name="csv" rows={8} {...(state.problems.fields.csv ? { 'aria-invalid': 'true' } : {})}>{typeof csv === 'string' ? csv : ''}</textarea>
          {state.problems.fields.csv && <p class="err" data-field="csv">{state.problems.fields.csv}</p>}</label>
      </PostForm>
      <section class="card"><h2>已导入（最近 {figures.length} 条）</h2>
        {figures.length ? (
          <div class="scroll"><table><thead><tr><th scope="col">期间</th><th scope="col">地区</th><th scope="col">抽检批次</th><th scope="col">不合格</th><th scope="col">合格率</th><th scope="col">来源</th></tr></thead>
            <tbody>{figures.map((f) => <tr><td>{f.period}</td><td>{f.regionName}</td><td class="num">{f.samples}</td><td class="num">{f.failed}</td><td class="num">{percent(f.passRate)}</td><td>{f.source}</td></tr>)}</tbody></table></div>
        ) : <p class="muted">还没有导入。</p>}
      </section>
      <p><a href="/app/dashboard">返回质量指标</a></p>
    </Shell>,
  );
}
