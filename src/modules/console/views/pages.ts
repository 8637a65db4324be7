import { esc } from '../../../common/html';
import type { BatchView } from '../../batches';
import type { CertificateView, CollectionView } from '../../certificates';
import type { PrintRunView, RenderView } from '../../labels';
import type { ProductView } from '../../products';
import type { SiteView } from '../../sites';
import type { TestRecordView } from '../../test-records';
import type { ConsoleContext } from '../console-auth.service';
import { chinaDateTime } from '../../../../libs/codes/calendar-date';
import { checkboxes, flash, form, FormState, input, select, shell, statusTag, textarea, value } from './layout';

export const UNITS: [string, string][] = ['kg', 'g', 't', '个', '枚', '箱', '头', '只'].map((u) => [u, u]);

export const LABEL_CHOICES: { id: string; format: 'pdf' | 'zpl' | 'tspl'; layout: string; text: string }[] = [
  { id: 'pdf:a4-40', format: 'pdf', layout: 'a4-40', text: 'A4 不干胶（每张 40 枚，PDF）' },
  { id: 'pdf:roll-60x40', format: 'pdf', layout: 'roll-60x40', text: '60 × 40 mm 卷标（PDF）' },
  { id: 'pdf:roll-60x80', format: 'pdf', layout: 'roll-60x80', text: '60 × 80 mm 卷标（PDF）' },
  { id: 'zpl:roll-60x40', format: 'zpl', layout: 'roll-60x40', text: '斑马打印机 ZPL（60 × 40 mm）' },
  { id: 'tspl:roll-60x40', format: 'tspl', layout: 'roll-60x40', text: 'TSC 打印机 TSPL（60 × 40 mm）' },
];

const BASIS_2026: [string, string][] = [['quality_control', '质量安全控制符合要求'], ['self_test', '自行检测合格'], ['entrusted_test', '委托检测合格']];

function qty(q: { value: string; unit: string }): string {
  return `${esc(q.value)} ${esc(q.unit)}`;
}

function batchLine(b: BatchView): string {
  return `<li><a href="/app/batches/${esc(b.id)}">${esc(b.product.name)} · 批号 ${esc(b.lotCode)}</a> ${statusTag(b.status)}
<br><span class="muted">${qty(b.quantity)} · 生产日期 ${esc(b.producedOn)}${b.statusReason ? ` · ${esc(b.statusReason)}` : ''}</span></li>`;
}

function certLine(c: CertificateView): string {
  return `<li><a href="/app/certificates/${esc(c.id)}">${esc(c.number)}</a> ${statusTag(c.status)}<br>
<span class="muted">${esc(c.productName)} · ${qty(c.quantity)} · ${esc(c.issuedOn)}</span></li>`;
}

export interface HomeData {
  today: string;
  batches: BatchView[];
  certificates: CertificateView[];
  held: BatchView[];
  recalled: BatchView[];
  failedTests: { batch: BatchView; test: TestRecordView }[];
}

export function homePage(ctx: ConsoleContext, d: HomeData, notice?: string): string {
  const alerts = [
    ...d.recalled.map((b) => `<div class="alert"><strong>召回</strong> <a href="/app/batches/${esc(b.id)}">${esc(b.product.name)} · ${esc(b.lotCode)}</a> ${esc(b.statusReason ?? '')}</div>`),
    ...d.held.map((b) => `<div class="alert"><strong>暂停</strong> <a href="/app/batches/${esc(b.id)}">${esc(b.product.name)} · ${esc(b.lotCode)}</a> ${esc(b.statusReason ?? '')}</div>`),
    ...d.failedTests.map(({ batch, test }) => `<div class="alert"><strong>检测不合格</strong> <a href="/app/batches/${esc(batch.id)}">${esc(batch.product.name)} · ${esc(batch.lotCode)}</a> ${esc(test.testedOn)}</div>`),
  ].join('');
  return shell(ctx, `今天 ${d.today}`, `${flash(notice)}
<section class="card" aria-labelledby="h-alerts"><h2 id="h-alerts">提醒</h2>${alerts || '<p class="muted">没有暂停、召回或不合格的批次。</p>'}</section>
<div class="grid"><section class="card"><h2>今天的批次</h2>${d.batches.length ? `<ul class="list">${d.batches.map(batchLine).join('')}</ul>` : '<p class="muted">今天还没有新批次。</p>'}
<a class="btn" href="/app/batches/new">新建批次</a></section>
<section class="card"><h2>今天的合格证</h2>${d.certificates.length ? `<ul class="list">${d.certificates.map(certLine).join('')}</ul>` : '<p class="muted">今天还没有开具合格证。</p>'}</section></div>
<form method="post" action="/app/logout-everywhere" class="card"><input type="hidden" name="_csrf" value="${esc(ctx.csrf)}">
<p class="muted">手机丢失？可在所有设备上退出本账号。</p><button class="danger">在所有设备上退出</button></form>`, 'home');
}

function productFields(state: FormState, categories: string[]): string {
  const options = categories.map((c) => `<option value="${esc(c)}">`).join('');
  return `${input('产品名称', 'name', state, { required: true })}
${input('食品类别', 'category', state, { required: true, list: 'categories', hint: '输入关键字选择，如“猕猴桃”' })}<datalist id="categories">${options}</datalist>
${input('商品条码 GTIN', 'gtin', state, { attrs: 'inputmode="numeric"', hint: '8、12、13 或 14 位，可不填' })}
${input('规格', 'spec', state, { placeholder: '如 5kg/箱' })}
${input('执行标准', 'standard', state, { placeholder: '如 NY/T 1794' })}`;
}

export function productsPage(ctx: ConsoleContext, products: ProductView[], categories: string[], state: FormState, key: string, notice?: string): string {
  const rows = products.map((p) => `<tr><td>${esc(p.name)}</td><td>${esc(p.category.split('>').pop())}</td><td>${esc(p.gtin ?? '')}</td><td>${esc(p.spec ?? '')}</td>
<td><a href="/app/products/${esc(p.id)}/edit">编辑</a></td></tr>`).join('');
  return shell(ctx, '产品', `${flash(notice)}<div class="grid">
<section>${form('/app/products', ctx.csrf, `<h2>新建产品</h2>${productFields(state, categories)}`, '保存产品', { key, state })}</section>
<section class="card"><h2>本单位产品</h2><div class="scroll"><table><tr><th>名称</th><th>类别</th><th>GTIN</th><th>规格</th><th></th></tr>${rows}</table></div></section></div>`, 'products');
}

export function editProductPage(ctx: ConsoleContext, id: string, categories: string[], state: FormState): string {
  return shell(ctx, '编辑产品', `${form(`/app/products/${encodeURIComponent(id)}`, ctx.csrf, productFields(state, categories), '保存修改', { state })}
<p><a href="/app/products">返回产品列表</a></p>`, 'products');
}

function siteFields(state: FormState, regions: [string, string][], regionLocked: boolean): string {
  const options = regions.map(([code, name]) => `<option value="${esc(code)}">${esc(name)}</option>`).join('');
  return `${input('基地名称', 'name', state, { required: true })}
${input('所在县（区）代码', 'regionCode', state, {
    required: true, list: 'regions', attrs: `inputmode="numeric"${regionLocked ? ' readonly' : ''}`,
    hint: regionLocked ? '基地所在县不能修改' : '6 位行政区划代码，输入县名可选择，如 510131 蒲江县',
  })}<datalist id="regions">${options}</datalist>
${input('地址', 'address', state)}
${input('纬度', 'location.lat', state, { attrs: 'inputmode="decimal"', placeholder: '如 30.19' })}
${input('经度', 'location.lng', state, { attrs: 'inputmode="decimal"', placeholder: '如 103.51' })}`;
}

export function sitesPage(ctx: ConsoleContext, sites: SiteView[], regions: [string, string][], state: FormState, key: string, notice?: string): string {
  const rows = sites.map((s) => `<tr><td>${esc(s.name)}</td><td>${esc(s.regionName)}（${esc(s.regionCode)}）</td><td>${esc(s.address ?? '')}</td>
<td><a href="/app/sites/${esc(s.id)}/edit">编辑</a></td></tr>`).join('');
  return shell(ctx, '生产基地', `${flash(notice)}<div class="grid">
<section>${form('/app/sites', ctx.csrf, `<h2>新建基地</h2>${siteFields(state, regions, false)}`, '保存基地', { key, state })}</section>
<section class="card"><h2>本单位基地</h2><div class="scroll"><table><tr><th>名称</th><th>行政区划</th><th>地址</th><th></th></tr>${rows}</table></div></section></div>`, 'sites');
}

export function editSitePage(ctx: ConsoleContext, id: string, state: FormState): string {
  return shell(ctx, '编辑基地', `${form(`/app/sites/${encodeURIComponent(id)}`, ctx.csrf, siteFields(state, [], true), '保存修改', { state })}
<p><a href="/app/sites">返回基地列表</a></p>`, 'sites');
}

export function batchesPage(ctx: ConsoleContext, batches: BatchView[]): string {
  return shell(ctx, '批次', `<a class="btn" href="/app/batches/new">新建批次</a>
<section class="card">${batches.length ? `<ul class="list">${batches.map(batchLine).join('')}</ul>` : '<p class="muted">还没有批次。</p>'}</section>`, 'batches');
}

export function newBatchPage(ctx: ConsoleContext, products: ProductView[], sites: SiteView[], state: FormState, key: string): string {
  const none = !products.length || !sites.length
    ? `<p class="err general">请先<a href="/app/products">新建产品</a>和<a href="/app/sites">生产基地</a>。</p>` : '';
  return shell(ctx, '新建批次', `${none}${form('/app/batches', ctx.csrf, `
${select('产品', 'productId', state, [['', '请选择'], ...products.map((p): [string, string] => [p.id, p.name])], { required: true })}
${select('生产基地', 'siteId', state, [['', '请选择'], ...sites.map((s): [string, string] => [s.id, `${s.name}（${s.regionName}）`])], { required: true })}
${input('数量', 'quantity.value', state, { required: true, attrs: 'inputmode="decimal"' })}
${select('单位', 'quantity.unit', state, UNITS)}
${input('生产（采收）日期', 'producedOn', state, { type: 'date', required: true })}
${input('批号', 'lotCode', state, { hint: '可不填，系统自动生成' })}`, '创建批次', { key, state })}`, 'batches');
}

export interface BatchDetail {
  batch: BatchView;
  qrSvg: string;
  runs: PrintRunView[];
  certificates: CertificateView[];
  tests: TestRecordView[];
}

export function batchPage(ctx: ConsoleContext, d: BatchDetail, notice?: string): string {
  const b = d.batch;
  const history = [
    { at: b.createdAt, text: `创建批次，${qty(b.quantity)}` },
    ...d.runs.map((r) => ({ at: r.createdAt, text: `打印标签 ${r.count} 枚（序号 ${r.firstSerial}–${r.lastSerial}）<a href="/app/print-runs/${esc(r.id)}">下载 / 补打</a>` })),
    ...d.certificates.map((c) => ({ at: c.createdAt, text: `开具合格证 <a href="/app/certificates/${esc(c.id)}">${esc(c.number)}</a> ${statusTag(c.status)}` })),
    ...d.tests.map((t) => ({ at: t.createdAt, text: `检测 ${esc(t.testedOn)}：${t.verdict === 'pass' ? '合格' : '<span class="tag bad">不合格</span>'}` })),
  ].sort((x, y) => y.at.localeCompare(x.at));
  const active = b.status === 'active';
  return shell(ctx, `${b.product.name} · ${b.lotCode}`, `${flash(notice)}<div class="grid">
<section class="card"><h2>批次信息</h2><p>状态 ${statusTag(b.status)}${b.statusReason ? ` <span class="muted">${esc(b.statusReason)}</span>` : ''}</p>
<p>数量 ${qty(b.quantity)} · 生产日期 ${esc(b.producedOn)}<br>追溯码 <code>${esc(b.traceCode)}</code> · 已发标签 ${b.itemsIssued} 枚</p>
<div class="qr" aria-label="批次二维码">${d.qrSvg}</div>
${active ? `<a class="btn" href="/app/batches/${esc(b.id)}/print">打印标签</a><a class="btn" href="/app/batches/${esc(b.id)}/certificate">开具合格证</a>` : '<p class="err">该批次已暂停或召回，不能打印标签或开具合格证。</p>'}</section>
<section class="card"><h2>消费者扫码看到的页面</h2><iframe src="/t/${esc(b.traceCode)}" title="消费者页面预览" loading="lazy"></iframe></section></div>
<section class="card"><h2>记录</h2><ul class="list">${history.map((h) => `<li><span class="muted">${esc(chinaDateTime(new Date(h.at)))}</span> ${h.text}</li>`).join('')}</ul></section>`, 'batches');
}

export function printPage(ctx: ConsoleContext, b: BatchView, state: FormState, key: string): string {
  return shell(ctx, `打印标签 · ${b.product.name} ${b.lotCode}`, form(`/app/batches/${encodeURIComponent(b.id)}/print-runs`, ctx.csrf, `
${input('张数', 'count', state, { type: 'number', required: true, attrs: 'min="1" max="100000" inputmode="numeric"', hint: '每枚标签一个独立追溯码；1000 枚以上会在后台生成' })}
${select('版式', 'choice', state, LABEL_CHOICES.map((c): [string, string] => [c.id, c.text]))}`, '生成标签', { key, state }), 'batches');
}

export function printRunPage(ctx: ConsoleContext, b: BatchView, run: PrintRunView, choice: typeof LABEL_CHOICES[number], render: RenderView | null, sync: boolean): string {
  const download = `/app/print-runs/${esc(run.id)}/labels.${choice.format}?layout=${esc(choice.layout)}`;
  const ready = sync || render?.status === 'done';
  const other = LABEL_CHOICES.map((c) => `<option value="${esc(c.id)}"${c.id === choice.id ? ' selected' : ''}>${esc(c.text)}</option>`).join('');
  const progress = ready ? '' : `<div data-progress-url="/app/print-runs/${esc(run.id)}/progress?format=${choice.format}&amp;layout=${esc(choice.layout)}">
<progress max="100" value="${render?.progress ?? 0}"></progress> <span data-progress-text>${Math.round(render?.progress ?? 0)}%</span>
<p class="muted">标签较多，正在后台生成。可离开本页，稍后在批次记录里下载。<noscript>请刷新页面查看进度。</noscript></p>
<p data-download hidden><a class="btn" href="${download}">下载标签文件</a></p></div>`;
  return shell(ctx, `标签 ${run.count} 枚`, `<section class="card"><p>${esc(b.product.name)} · 批号 ${esc(b.lotCode)} · 序号 ${run.firstSerial}–${run.lastSerial}</p>
<p>版式：${esc(choice.text)}</p>${ready ? `<p><a class="btn" href="${download}" data-ready>下载标签文件</a></p>` : progress}</section>
<form method="get" action="/app/print-runs/${esc(run.id)}" class="card"><h2>换一种版式（补打）</h2>
<label class="f"><span>版式</span><select name="choice">${other}</select></label><button type="submit">换版式</button></form>
<p><a href="/app/batches/${esc(b.id)}">返回批次</a></p>`, 'batches');
}

export function certificatesPage(ctx: ConsoleContext, certs: CertificateView[]): string {
  return shell(ctx, '合格证', `<p class="muted">在批次页面点“开具合格证”。</p>
<section class="card">${certs.length ? `<ul class="list">${certs.map(certLine).join('')}</ul>` : '<p class="muted">还没有合格证。</p>'}</section>`, 'certificates');
}

export function issuePage(ctx: ConsoleContext, b: BatchView, purchaser: boolean, tests: TestRecordView[], collections: CollectionView[], state: FormState, key: string): string {
  const testOptions = tests.filter((t) => t.verdict === 'pass')
    .map((t): [string, string] => [t.id, `${t.testedOn} ${t.testerKind === 'lab' ? '委托检测' : '自行检测'}${t.reportNo ? ` ${t.reportNo}` : ''}`]);
  const basis = purchaser
    ? checkboxes('已查验的上游合格证（收购、混装或分装的来源）', 'upstreamCollectionIds', state,
      collections.filter((c) => c.outcome === 'accepted').map((c): [string, string] => [c.id, `${c.certificate?.number ?? c.otherProof?.reference ?? ''} · ${c.certificate?.productName ?? ''} ${c.quantity ? `${c.quantity.value} ${c.quantity.unit}` : ''}`]))
    : `${checkboxes('承诺依据', 'basis', state, BASIS_2026)}
${textarea('质量安全控制措施', 'evidence.qualityControl', state, { hint: '勾选“质量安全控制符合要求”时必填' })}
${testOptions.length ? checkboxes('检测记录', 'evidence.testRecordIds', state, testOptions) : '<p class="muted">该批次还没有合格的检测记录。</p>'}
${input('实际使用的农药兽药', 'evidence.inputsUsed', state, { hint: '多个用逗号分隔，可不填' })}`;
  return shell(ctx, `开具合格证 · ${b.product.name} ${b.lotCode}`, form('/app/certificates', ctx.csrf, `
<input type="hidden" name="batchId" value="${esc(b.id)}">${basis}
${input('数量', 'quantity.value', state, { attrs: 'inputmode="decimal"', hint: `不填则为批次剩余未开证数量（批次共 ${b.quantity.value} ${b.quantity.unit}）` })}
${select('单位', 'quantity.unit', { ...state, values: { ...state.values, 'quantity.unit': value(state, 'quantity.unit') || b.quantity.unit } }, UNITS)}
${input('签名', 'signedBy', state)}${input('联系电话', 'contact', state, { attrs: 'inputmode="tel"' })}`, '开具合格证', { key, state }), 'certificates');
}

export function certificatePage(ctx: ConsoleContext, c: CertificateView, voidState: FormState, notice?: string): string {
  const pdf = (layout: string, text: string) => `<a class="btn" href="/app/certificates/${esc(c.id)}/certificate.pdf?layout=${layout}">${text}</a>`;
  return shell(ctx, `合格证 ${c.number}`, `${flash(notice)}<section class="card"><p>状态 ${statusTag(c.status)}
${c.voided ? `<span class="muted">作废原因：${esc(c.voided.reason)}</span>` : ''}</p>
<p>${esc(c.productName)} · ${qty(c.quantity)} · 产地 ${esc(c.origin)}<br>开具日期 ${esc(c.issuedOn)} · 开具方 ${esc(c.issuer.name)}</p>
<p><a href="/app/batches/${esc(c.batchId)}">查看批次</a> · <a href="${esc(new URL(c.verifyUrl).pathname)}">公开查验页</a></p>
${c.status === 'valid' ? `<h2>打印</h2>${pdf('label-60x80', '60 × 80 mm 标签')}${pdf('a4', 'A4')}${pdf('combined-60x80', '证码合一 60 × 80 mm')}` : ''}</section>
${c.status === 'valid' ? form(`/app/certificates/${encodeURIComponent(c.id)}/void`, ctx.csrf, `<h2>作废</h2>
${input('作废原因', 'reason', voidState, { required: true, placeholder: '如：数量填写错误' })}`, '作废合格证', { state: voidState, cls: 'card danger-form' }) : ''}`, 'certificates');
}

export function collectPage(ctx: ConsoleContext, products: ProductView[], collections: CollectionView[], state: FormState, key: string, notice?: string): string {
  const rows = collections.map((c) => `<li>${c.outcome === 'accepted' ? '<span class="tag">已查验</span>' : '<span class="tag bad">拒收</span>'}
${esc(c.certificate?.number ?? c.otherProof?.reference ?? '')} · ${esc(c.certificate?.productName ?? '')}${c.quantity ? ` · ${qty(c.quantity)}` : ''}
${c.reason ? `<br><span class="muted">${esc(c.reason)}</span>` : ''}</li>`).join('');
  return shell(ctx, '查验收购', `${flash(notice)}<div class="grid"><section>${form('/app/collect', ctx.csrf, `
<div data-camera="#certificate-input"><button type="button" data-start hidden>用手机摄像头扫码</button>
<video hidden playsinline muted></video><p class="err" data-camera-error hidden>无法打开摄像头，请直接输入合格证编号。</p></div>
${input('合格证二维码内容或编号', 'certificate', state, { required: true, attrs: 'id="certificate-input" autocomplete="off"' })}
${input('证上数量', 'certificateQuantity.value', state, { attrs: 'inputmode="decimal"', hint: '手工输入编号时必填：合格证上印的数量（重量），扫码则不需要' })}
${select('证上数量单位', 'certificateQuantity.unit', state, UNITS)}
${select('收购为本单位产品', 'productId', state, [['', '请选择'], ...products.map((p): [string, string] => [p.id, p.name])], { required: true })}
${input('收购数量', 'quantity.value', state, { attrs: 'inputmode="decimal"' })}
${select('单位', 'quantity.unit', state, UNITS)}
${input('供货人', 'supplierName', state)}`, '查验', { key, state })}</section>
<section class="card"><h2>最近的查验</h2><ul class="list">${rows || '<li class="muted">还没有查验记录。</li>'}</ul></section></div>`, 'collect');
}
