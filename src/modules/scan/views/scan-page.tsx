import { randomUUID } from 'node:crypto';
import { chinaDateTime } from '../../../../libs/codes/calendar-date';
import { PublicPage, renderDocument, renderHtml, renderText, slotted, trustedHtml } from '../../../common/html';
import { Row } from '../../../common/views';
import type { ScanView } from '../scan.service';

const STATUS_TEXT: Record<ScanView['status'], string> = {
  active: '正常', on_hold: '暂停销售', recalled: '已召回', closed: '已售罄/已结束',
};

const ORG_KIND_TEXT: Record<string, string> = {
  cooperative: '农民专业合作社', enterprise: '企业', family_farm: '家庭农场', individual: '农户',
  purchaser: '收购商', market: '批发市场', lab: '检测机构', regulator: '监管部门',
};

function Banner({ banner }: Pick<ScanView, 'banner'>) {
  if (!banner) return null;
  return <section class={`banner ${banner.level}`} role="alert"><h2>{banner.title}</h2><p>{banner.text}</p></section>;
}

type ScanSlot = 'first' | 'count' | 'clients';

/** The scan record: new on every request, so its four shapes are rendered once with slots for the figures. */
function scansView(first: boolean, copyWarning: boolean) {
  return slotted<ScanSlot>((slot) => (
    <section class="card" id="scans"><h2>扫码记录</h2>
      <dl>{first && <><dt>首次扫码</dt><dd>{slot('first')}</dd></>}<dt>扫码次数</dt><dd>{slot('count')} 次</dd></dl>
      {copyWarning && <p class="warn">此标签已被 {slot('clients')} 部不同的手机扫码，可能被复制。请核对包装与购买渠道，谨防假冒。</p>}
    </section>
  ));
}

const SCANS = [scansView(false, false), scansView(false, true), scansView(true, false), scansView(true, true)];

function renderScans(scans: ScanView['scans']): string {
  if (!scans) return '';
  // China time as the other pages show it (and no Intl formatter on every scan).
  const first = scans.firstScannedAt ? chinaDateTime(Date.parse(scans.firstScannedAt)) : '';
  return SCANS[(first ? 2 : 0) + (scans.copyWarning ? 1 : 0)]({ first, count: scans.count, clients: scans.clients });
}

/** 问题反馈 on every scan page: a link to the consumer-reports form for this very code (rendered once, the code put in per request). */
const FEEDBACK_MARK = randomUUID().replace(/-/g, '');
const [FEEDBACK_HEAD, FEEDBACK_TAIL] = renderHtml(
  <section class="card" id="feedback"><h2>问题反馈</h2>
    <p>发现质量问题、标签与实物不符或疑似假冒？请告诉生产者和监管部门。</p>
    <p><a class="action" href={`/t/${FEEDBACK_MARK}/feedback`}>我要反馈</a></p>
  </section>,
).split(FEEDBACK_MARK);

/** The code is a checked trace code (digits and capitals); escaped all the same. */
function renderFeedback(code: string): string {
  return FEEDBACK_HEAD + renderText(code) + FEEDBACK_TAIL;
}

const CODE_LINE = slotted<'code'>((slot) => <>追溯码 {slot('code')}</>);
const ITEM_CODE_LINE = slotted<'code' | 'serial'>((slot) => <>追溯码 {slot('code')} · 序号 {slot('serial')}</>);

type BatchFacts = Pick<ScanView, 'status' | 'banner' | 'product' | 'producer' | 'site' | 'batch'>;

function BatchSections({ v }: { v: BatchFacts }) {
  return <>
    <Banner banner={v.banner} />
    <section class="card" id="product">
      <p class="product">{v.product.name}</p>
      <p class="muted">{v.product.category.split('>').join(' › ')}</p>
      <dl>
        <Row label="状态" value={STATUS_TEXT[v.status]} />
        <Row label="规格" value={v.product.spec} />
        <Row label="执行标准" value={v.product.standard} />
        <Row label="商品条码" value={v.product.gtin} />
      </dl>
    </section>
    <section class="card" id="origin">
      <h2>产地与生产者</h2>
      <dl>
        <Row label="生产者" value={v.producer.name} />
        <Row label="主体类型" value={ORG_KIND_TEXT[v.producer.kind] ?? v.producer.kind} />
        <Row label="所在地" value={v.producer.regionName} />
        <Row label="生产基地" value={v.site.name} />
        <Row label="产地" value={v.site.regionName} />
      </dl>
    </section>
    <section class="card" id="batch">
      <h2>批次信息</h2>
      <dl>
        <Row label="批次号" value={v.batch.lotCode} />
        <Row label="生产日期" value={v.batch.producedOn} />
        <Row label="批次数量" value={`${v.batch.quantity.value} ${v.batch.quantity.unit}`} />
      </dl>
    </section>
  </>;
}

/** Where the per-code parts go in a batch's page (a marker no stored text can contain: NUL is refused on input). */
const HOLE = `\u0000${randomUUID()}\u0000`;

/** The page of a batch, rendered once and encoded to UTF-8, cut where the code line and the scan count go. */
interface EncodedBatch {
  beforeCode: Buffer;
  beforeScans: Buffer;
  tail: Buffer;
}

const encodedBatches = new WeakMap<object, EncodedBatch>();

function encodedBatch(v: ScanView, sectionsHtml: string): EncodedBatch {
  // The scan service hands out the same `product` object for every code of a cached batch.
  let encoded = encodedBatches.get(v.product);
  if (!encoded) {
    const [beforeCode, beforeScans, tail] = renderDocument(
      <PublicPage title={`${v.product.name} · 天府溯源`}>
        <header class="top"><h1>天府溯源 · 产品追溯</h1><p>{trustedHtml(HOLE)}</p></header>
        <main>
          <BatchSections v={v} />
          {trustedHtml(sectionsHtml)}
          {trustedHtml(HOLE)}
        </main>
      </PublicPage>,
    ).split(HOLE);
    encoded = { beforeCode: Buffer.from(beforeCode), beforeScans: Buffer.from(beforeScans), tail: Buffer.from(tail) };
    encodedBatches.set(v.product, encoded);
  }
  return encoded;
}

/**
 * The consumer page behind a QR code, as UTF-8 bytes: the parts a batch shares are rendered and
 * encoded once; the code line and the scan record are slotted views (their markup rendered once too),
 * only their text is escaped per request. Other features'
 * sections (certificate, test results, GI, supply chain) arrive rendered as `sectionsHtml` (see
 * ScanSections, which renders them with renderHtml).
 */
export function renderScanPage(v: ScanView, sectionsHtml = ''): Buffer {
  const batch = encodedBatch(v, sectionsHtml);
  const code = v.serial ? ITEM_CODE_LINE({ code: v.code, serial: v.serial }) : CODE_LINE({ code: v.code });
  return Buffer.concat([batch.beforeCode, Buffer.from(code), batch.beforeScans, Buffer.from(renderScans(v.scans) + renderFeedback(v.code)), batch.tail]);
}
