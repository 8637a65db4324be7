import type { CollectionView } from '../../certificates';
import type { ProductView } from '../../products';
import type { ConsoleContext } from '../console-auth.service';
import { consolePage, Flash, FormState, Input, PostForm, Select, Shell } from './layout';
import { Qty, UNITS } from './parts';

/** A purchaser's 查验收购: check the supplier's certificate (camera or typed) and record the collection. */
export function collectPage(ctx: ConsoleContext, products: ProductView[], collections: CollectionView[], state: FormState, key: string, notice?: string): string {
  return consolePage(
    <Shell ctx={ctx} title="查验收购" active="collect">
      <Flash message={notice} />
      <div class="grid">
        <section><PostForm action="/app/collect" csrf={ctx.csrf} submit="查验" formKey={key} state={state}>
          <div data-camera="#certificate-input"><button type="button" data-start="" hidden>用手机摄像头扫码</button>
            <video hidden playsinline muted></video><p class="err" data-camera-error="" hidden>无法打开摄像头，请直接输入合格证编号。</p></div>
          <Input label="合格证二维码内容或编号" name="certificate" state={state} required attrs={{ id: 'certificate-input', autocomplete: 'off' }} />
          <Input label="证上数量" name="certificateQuantity.value" state={state} attrs={{ inputmode: 'decimal' }}
            hint="手工输入编号时必填：合格证上印的数量（重量），扫码则不需要" />
          <Select label="证上数量单位" name="certificateQuantity.unit" state={state} options={UNITS} />
          <Select label="收购为本单位产品" name="productId" state={state} required options={[['', '请选择'], ...products.map((p): [string, string] => [p.id, p.name])]} />
          <Input label="收购数量" name="quantity.value" state={state} attrs={{ inputmode: 'decimal' }} />
          <Select label="单位" name="quantity.unit" state={state} options={UNITS} />
          <Input label="供货人" name="supplierName" state={state} />
        </PostForm></section>
        <section class="card"><h2>最近的查验</h2><ul class="list">
          {collections.length ? collections.map((c) => (
            <li>{c.outcome === 'accepted' ? <span class="tag">已查验</span> : <span class="tag bad">拒收</span>}{' '}
              {c.certificate?.number ?? c.otherProof?.reference ?? ''} · {c.certificate?.productName ?? ''}{c.quantity && <> · <Qty q={c.quantity} /></>}
              {c.reason && <><br /><span class="muted">{c.reason}</span></>}</li>
          )) : <li class="muted">还没有查验记录。</li>}
        </ul></section>
      </div>
    </Shell>,
  );
}
