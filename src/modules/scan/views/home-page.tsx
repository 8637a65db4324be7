import { page } from '../../../common/html';

export function renderHomePage(): string {
  return page('天府溯源 · 四川农产品质量安全追溯', <>
    <header class="top"><h1>天府溯源</h1><p>四川省农产品质量安全追溯平台</p></header>
    <main>
      <section class="card">
        <h2>查询产品来源</h2>
        <p>用手机扫描包装上的二维码，或输入二维码下方的追溯码：</p>
        <form action="/t" method="get" class="lookup">
          <input name="code" inputmode="latin" autocomplete="off" maxlength={40} placeholder="例如 742B4XNBN9ZD3" aria-label="追溯码" />
          <button type="submit">查询</button>
        </form>
      </section>
      <section class="card">
        <h2>合作社、企业与监管部门</h2>
        <p class="muted">登记产品与基地、建立批次、打印追溯标签；接口说明见 <a href="/docs">API 文档</a>。</p>
      </section>
    </main>
  </>);
}
