import type { ProductView } from '../../products';
import type { SiteView } from '../../sites';
import type { ConsoleContext } from '../console-auth.service';
import { consolePage, Flash, FormState, Input, PostForm, Shell } from './layout';

/** The cooperative's products and production sites. */

function ProductFields({ state, categories }: { state: FormState; categories: string[] }) {
  return <>
    <Input label="产品名称" name="name" state={state} required />
    <Input label="食品类别" name="category" state={state} required list="categories" hint="输入关键字选择，如“猕猴桃”" />
    <datalist id="categories">{categories.map((c) => <option value={c} />)}</datalist>
    <Input label="商品条码 GTIN" name="gtin" state={state} attrs={{ inputmode: 'numeric' }} hint="8、12、13 或 14 位，可不填" />
    <Input label="规格" name="spec" state={state} placeholder="如 5kg/箱" />
    <Input label="执行标准" name="standard" state={state} placeholder="如 NY/T 1794" />
  </>;
}

export function productsPage(ctx: ConsoleContext, products: ProductView[], categories: string[], state: FormState, key: string, notice?: string): string {
  return consolePage(
    <Shell ctx={ctx} title="产品" active="products">
      <Flash message={notice} />
      <div class="grid">
        <section><PostForm action="/app/products" csrf={ctx.csrf} submit="保存产品" formKey={key} state={state}>
          <h2>新建产品</h2><ProductFields state={state} categories={categories} />
        </PostForm></section>
        <section class="card"><h2>本单位产品</h2><div class="scroll"><table>
          <tr><th>名称</th><th>类别</th><th>GTIN</th><th>规格</th><th></th></tr>
          {products.map((p) => (
            <tr><td>{p.name}</td><td>{p.category.split('>').pop()}</td><td>{p.gtin ?? ''}</td><td>{p.spec ?? ''}</td>
              <td><a href={`/app/products/${p.id}/edit`}>编辑</a></td></tr>
          ))}
        </table></div></section>
      </div>
    </Shell>,
  );
}

export function editProductPage(ctx: ConsoleContext, id: string, categories: string[], state: FormState): string {
  return consolePage(
    <Shell ctx={ctx} title="编辑产品" active="products">
      <PostForm action={`/app/products/${encodeURIComponent(id)}`} csrf={ctx.csrf} submit="保存修改" state={state}>
        <ProductFields state={state} categories={categories} />
      </PostForm>
      <p><a href="/app/products">返回产品列表</a></p>
    </Shell>,
  );
}

function SiteFields({ state, regions, regionLocked }: { state: FormState; regions: [string, string][]; regionLocked: boolean }) {
  return <>
    <Input label="基地名称" name="name" state={state} required />
    <Input label="所在县（区）" name="regionCode" state={state} required list="regions" attrs={{ autocomplete: 'off', readonly: regionLocked }}
      hint={regionLocked ? '基地所在县不能修改' : '输入县名搜索并选择，如“蒲江”；也可填 6 位行政区划代码'} />
    <datalist id="regions">{regions.map(([, name]) => <option value={name} />)}</datalist>
    <Input label="地址" name="address" state={state} />
    <Input label="纬度" name="location.lat" state={state} attrs={{ inputmode: 'decimal' }} placeholder="如 30.19" />
    <Input label="经度" name="location.lng" state={state} attrs={{ inputmode: 'decimal' }} placeholder="如 103.51" />
  </>;
}

export function sitesPage(ctx: ConsoleContext, sites: SiteView[], regions: [string, string][], state: FormState, key: string, notice?: string): string {
  return consolePage(
    <Shell ctx={ctx} title="生产基地" active="sites">
      <Flash message={notice} />
      <div class="grid">
        <section><PostForm action="/app/sites" csrf={ctx.csrf} submit="保存基地" formKey={key} state={state}>
          <h2>新建基地</h2><SiteFields state={state} regions={regions} regionLocked={false} />
        </PostForm></section>
        <section class="card"><h2>本单位基地</h2><div class="scroll"><table>
          <tr><th>名称</th><th>行政区划</th><th>地址</th><th></th></tr>
          {sites.map((s) => (
            <tr><td>{s.name}</td><td>{s.regionName}（{s.regionCode}）</td><td>{s.address ?? ''}</td>
              <td><a href={`/app/sites/${s.id}/edit`}>编辑</a></td></tr>
          ))}
        </table></div></section>
      </div>
    </Shell>,
  );
}

export function editSitePage(ctx: ConsoleContext, id: string, state: FormState): string {
  return consolePage(
    <Shell ctx={ctx} title="编辑基地" active="sites">
      <PostForm action={`/app/sites/${encodeURIComponent(id)}`} csrf={ctx.csrf} submit="保存修改" state={state}>
        <SiteFields state={state} regions={[]} regionLocked />
      </PostForm>
      <p><a href="/app/sites">返回基地列表</a></p>
    </Shell>,
  );
}
