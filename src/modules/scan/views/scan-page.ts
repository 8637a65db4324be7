import { esc, pageFrame } from '../../../common/html';
import type { ScanView } from '../scan.service';

const STATUS_TEXT: Record<ScanView['status'], string> = {
  active: '正常', on_hold: '暂停销售', recalled: '已召回', closed: '已售罄/已结束',
};

const ORG_KIND_TEXT: Record<string, string> = {
  cooperative: '农民专业合作社', enterprise: '企业', family_farm: '家庭农场', individual: '农户',
  purchaser: '收购商', market: '批发市场', lab: '检测机构', regulator: '监管部门',
};

function row(label: string, value: unknown): string {
  return value === null || value === undefined || value === '' ? '' : `<dt>${esc(label)}</dt><dd>${esc(value)}</dd>`;
}

function banner(v: Pick<ScanView, 'banner'>): string {
  if (!v.banner) return '';
  return `<section class="banner ${v.banner.level}" role="alert"><h2>${esc(v.banner.title)}</h2><p>${esc(v.banner.text)}</p></section>`;
}

/** Building an Intl formatter is costly: make it once (China Standard Time, as printed on labels). */
const BEIJING_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
});

function scans(v: ScanView): string {
  if (!v.scans) return '';
  const firstText = v.scans.firstScannedAt ? BEIJING_TIME.format(new Date(v.scans.firstScannedAt)) : '';
  const warning = v.scans.copyWarning
    ? `<p class="warn">此标签已被 ${v.scans.clients} 部不同的手机扫码，可能被复制。请核对包装与购买渠道，谨防假冒。</p>`
    : '';
  return `<section class="card" id="scans"><h2>扫码记录</h2><dl>${row('首次扫码', firstText)}${row('扫码次数', `${v.scans.count} 次`)}</dl>${warning}</section>`;
}

type BatchFacts = Pick<ScanView, 'status' | 'banner' | 'product' | 'producer' | 'site' | 'batch'>;

function batchSections(v: BatchFacts): string {
  return `${banner(v)}
<section class="card" id="product">
  <p class="product">${esc(v.product.name)}</p>
  <p class="muted">${esc(v.product.category.split('>').join(' › '))}</p>
  <dl>
    ${row('状态', STATUS_TEXT[v.status])}
    ${row('规格', v.product.spec)}
    ${row('执行标准', v.product.standard)}
    ${row('商品条码', v.product.gtin)}
  </dl>
</section>
<section class="card" id="origin">
  <h2>产地与生产者</h2>
  <dl>
    ${row('生产者', v.producer.name)}
    ${row('主体类型', ORG_KIND_TEXT[v.producer.kind] ?? v.producer.kind)}
    ${row('所在地', v.producer.regionName)}
    ${row('生产基地', v.site.name)}
    ${row('产地', v.site.regionName)}
  </dl>
</section>
<section class="card" id="batch">
  <h2>批次信息</h2>
  <dl>
    ${row('批次号', v.batch.lotCode)}
    ${row('生产日期', v.batch.producedOn)}
    ${row('批次数量', `${v.batch.quantity.value} ${v.batch.quantity.unit}`)}
  </dl>
</section>
`;
}

/** What every code of a batch shares, encoded to UTF-8 once per cached facts object. */
interface EncodedBatch {
  head: Buffer;
  sections: Buffer;
  tail: Buffer;
}

const encodedBatches = new WeakMap<object, EncodedBatch>();

function encodedBatch(v: ScanView, sectionsHtml: string): EncodedBatch {
  // The scan service hands out the same `product` object for every code of a cached batch.
  let encoded = encodedBatches.get(v.product);
  if (!encoded) {
    const [head, tail] = pageFrame(`${v.product.name} · 天府溯源`);
    encoded = { head: Buffer.from(head), sections: Buffer.from(batchSections(v) + sectionsHtml), tail: Buffer.from(`</main>${tail}`) };
    encodedBatches.set(v.product, encoded);
  }
  return encoded;
}

/**
 * The consumer page behind a QR code, as UTF-8 bytes: the parts a batch shares are encoded once,
 * only the code line and the scan count are new per request. Other features' sections (certificate,
 * test results, GI, supply chain) arrive pre-rendered as `sectionsHtml` (see ScanSections).
 */
export function renderScanPage(v: ScanView, sectionsHtml = ''): Buffer {
  const batch = encodedBatch(v, sectionsHtml);
  const top = `<header class="top"><h1>天府溯源 · 产品追溯</h1><p>追溯码 ${esc(v.code)}${v.serial ? ` · 序号 ${esc(v.serial)}` : ''}</p></header>\n<main>\n`;
  return Buffer.concat([batch.head, Buffer.from(top), batch.sections, Buffer.from(scans(v)), batch.tail]);
}
