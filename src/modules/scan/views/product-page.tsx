import { page } from '../../../common/html';
import { Row } from '../../../common/views';
import type { DigitalLinkResolution } from '../scan.service';

/**
 * The product level of the Digital Link resolver (/01/{gtin}, and a lot or serial of that GTIN we do
 * not know): what the product is and who makes it; the trace facts need the lot on the label.
 */
export function renderProductPage(r: Pick<DigitalLinkResolution, 'product' | 'producer' | 'walkedUp'>): string {
  return page(`${r.product.name} · 天府溯源`, <>
    <header class="top"><h1>{r.product.name}</h1><p>{r.producer.name}</p></header>
    <main>
      {r.walkedUp && <section class="banner warning" role="alert"><h2>未找到该批次或单品</h2><p>以下是该商品条码对应的产品信息。请核对包装上的批号，或扫描包装上的追溯二维码。</p></section>}
      <section class="card" id="product">
        <p class="product">{r.product.name}</p>
        <p class="muted">{r.product.category.split('>').join(' › ')}</p>
        <dl>
          <Row label="规格" value={r.product.spec} />
          <Row label="执行标准" value={r.product.standard} />
          <Row label="商品条码" value={r.product.gtin} />
          <Row label="生产者" value={r.producer.name} />
          <Row label="所在地" value={r.producer.regionName} />
        </dl>
      </section>
      <section class="card"><p class="muted">批次来源、检测与合格证信息请扫描包装上带批号的追溯二维码查看。</p></section>
    </main>
  </>);
}
