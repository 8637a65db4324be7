import { createHash, randomUUID } from 'node:crypto';
import type { ComponentChildren, VNode } from 'preact';
import { jsxTemplate } from 'preact/jsx-runtime';
import { renderToString } from 'preact-render-to-string';
import { FAVICON_LINK } from './favicon';

/**
 * HTML views are JSX (.tsx) rendered to strings by preact-render-to-string, which escapes every
 * text child and every attribute value (attributes are always double-quoted; `"`, `&`, `<` are
 * encoded). Nothing is built by concatenating strings: markup that must not be escaped goes
 * through `trustedHtml` only.
 */

/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): input refuses
 * them, and a row stored before that must not make 「合格」 read backwards on a page either. Our
 * templates never contain them, so they are dropped from the whole rendered document — every text
 * child and attribute value, however it got there.
 */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const BIDI_ALL = /[\u202A-\u202E\u2066-\u2069]/g;

/** A fragment of HTML rendered by `renderHtml` (or trusted markup): safe to insert with `trustedHtml`. */
export type RenderedHtml = string & { readonly __rendered: unique symbol };

/** Renders a view to an HTML fragment: text and attributes escaped, bidi controls dropped. */
export function renderHtml(node: ComponentChildren): RenderedHtml {
  const html = renderToString(<>{node}</>);
  return (BIDI.test(html) ? html.replace(BIDI_ALL, '') : html) as RenderedHtml;
}

/** Renders a whole page (an <html> element) with its doctype. */
export function renderDocument(node: VNode): RenderedHtml {
  return `<!doctype html>\n${renderHtml(node)}` as RenderedHtml;
}

/**
 * The one way to put unescaped markup into a view — grep for it. Only for fragments this code made
 * itself: a view already rendered by `renderHtml`, an SVG QR code or chart drawn from numbers, the
 * pages' own style sheet. Never user text.
 */
export function trustedHtml(html: string): VNode {
  return jsxTemplate([html]);
}

/** What preact-render-to-string escapes in a text child (not `>`: harmless in text). */
const TEXT_SPECIALS = /["&<]/;
const TEXT_SPECIALS_ALL = /["&<]/g;
const ENTITIES: Record<string, string> = { '"': '&quot;', '&': '&amp;', '<': '&lt;' };

/**
 * Text as HTML: escaped and without bidi controls, exactly as renderHtml renders a text child (a
 * test holds the two equal), without a render per call — slotted views call it on every scan.
 */
export function renderText(text: string): RenderedHtml {
  const clean = BIDI.test(text) ? text.replace(BIDI_ALL, '') : text;
  return (TEXT_SPECIALS.test(clean) ? clean.replace(TEXT_SPECIALS_ALL, (c) => ENTITIES[c]) : clean) as RenderedHtml;
}

/** Fills a slotted view's slots with text (escaped). */
export type SlottedView<K extends string> = (values: Record<K, string | number>) => RenderedHtml;

/**
 * For the hottest page: renders a view once with named text slots and returns a function that
 * puts each slot's text in, escaped (renderText), without rendering the markup around it again.
 * A slot stands where a text child would (never in an attribute).
 */
export function slotted<K extends string>(view: (slot: (name: K) => VNode) => ComponentChildren): SlottedView<K> {
  const marker = `\u0000${randomUUID()}:`;
  const pieces = renderHtml(view((name) => trustedHtml(`${marker}${name}\u0000`))).split(new RegExp(`${marker}([^\u0000]*)\u0000`));
  return (values) => {
    let out = pieces[0];
    for (let i = 1; i < pieces.length; i += 2) {
      const value = values[pieces[i] as K];
      // A number's text is digits (and . - e): nothing to escape, and this runs on every scan.
      out += (typeof value === 'number' ? String(value) : renderText(value)) + pieces[i + 1];
    }
    return out as RenderedHtml;
  };
}

/** The shared frame of public pages: zh-CN, phone-first, no scripts, inline CSS (one request; no style attributes: the CSP allows this sheet only). */
export function PublicPage({ title, children }: { title: string; children?: ComponentChildren }): VNode {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{title}</title>
        <link rel="icon" href={FAVICON_LINK} type="image/svg+xml" />
        <style>{trustedHtml(CSS)}</style>
      </head>
      <body>
        {children}
        <footer class="foot">天府溯源 · 四川省农产品质量安全追溯</footer>
      </body>
    </html>
  );
}

/** A public page as a document. */
export function page(title: string, body: ComponentChildren): RenderedHtml {
  return renderDocument(<PublicPage title={title}>{body}</PublicPage>);
}

const HOLE = '\u0000body\u0000';

/** The page frame around a body, split so hot pages can cache it pre-encoded. */
export function pageFrame(title: string): [head: string, tail: string] {
  const [head, tail] = page(title, trustedHtml(HOLE)).split(HOLE);
  return [head, tail];
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1f2a24;background:#f3f6f4}
header.top{background:#1d6b43;color:#fff;padding:14px 16px}
header.top h1{margin:0;font-size:20px;font-weight:600}
header.top p{margin:2px 0 0;opacity:.85;font-size:13px}
main{max-width:560px;margin:0 auto;padding:12px}
.banner{border-radius:10px;padding:14px 16px;margin:0 0 12px;font-weight:600}
.banner h2{margin:0 0 4px;font-size:20px}
.banner p{margin:0;font-weight:400}
.banner.danger{background:#c62828;color:#fff}
.banner.warning{background:#f9a825;color:#1f1f1f}
.card{background:#fff;border-radius:10px;padding:14px 16px;margin:0 0 12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.card h2{font-size:16px;margin:0 0 8px;color:#1d6b43}
dl{margin:0;display:grid;grid-template-columns:6.5em 1fr;gap:6px 10px}
dt{color:#5d6b63}
dd{margin:0;word-break:break-all}
.product{font-size:22px;font-weight:700;margin:0 0 4px}
.muted{color:#5d6b63;font-size:13px}
.ok{color:#1d6b43}
.warn{background:#fff4e5;border-left:4px solid #f9a825;padding:10px 12px;border-radius:6px;margin-top:10px}
.foot{text-align:center;color:#8a978f;font-size:12px;padding:16px}
.notfound{text-align:center;padding:48px 16px}
.state{border-radius:12px;padding:18px 16px;margin:0 0 12px;text-align:center;color:#fff}
.state strong{display:block;font-size:34px;letter-spacing:2px;line-height:1.2}
.state.valid{background:#1d6b43}
.state.voided{background:#c62828}
table.day{width:100%;border-collapse:collapse;font-size:14px}
table.day th,table.day td{text-align:left;padding:6px 4px;border-bottom:1px solid #eef2ef;vertical-align:top}
table.day th{color:#5d6b63;font-weight:400}
.badge-red{color:#c62828;font-weight:700}
.cert-title{font-size:22px;font-weight:700;text-align:center;margin:0 0 10px;letter-spacing:2px}
.ticks{list-style:none;margin:8px 0 0;padding:0}
.ticks li{margin:2px 0}
ul.tests,ul.certs,ul.marks{list-style:none;margin:0;padding:0}
ul.tests li,ul.certs li,ul.marks li{padding:6px 0;border-bottom:1px solid #eef2ef}
ul.marks h3{font-size:15px;margin:0 0 4px}
.verdict.pass,.cert-valid{color:#1d6b43;font-weight:700}
.verdict.fail,.cert-voided{color:#c62828;font-weight:700}
a{color:#1d6b43}
.notfound h1{font-size:22px}
.state a{color:#fff}
.nowrap{white-space:nowrap}
ol.chain{margin:0;padding-left:1.4em}
ol.chain li{margin:0 0 8px}
form.lookup input{width:100%;font-size:18px;padding:10px;border:1px solid #b9c6bf;border-radius:8px;letter-spacing:1px}
form.lookup button{margin-top:10px;width:100%;font-size:17px;padding:10px;border:0;border-radius:8px;background:#1d6b43;color:#fff}
a.action{display:inline-block;padding:8px 16px;border:1px solid #1d6b43;border-radius:8px;text-decoration:none}
form.report label{display:block;margin:0 0 12px}
form.report select,form.report textarea,form.report input[type=tel],form.report input[type=file]{display:block;width:100%;font-size:16px;padding:8px;border:1px solid #b9c6bf;border-radius:8px;margin-top:4px;background:#fff}
form.report label.chk{display:flex;gap:8px;align-items:flex-start;font-size:14px}
form.report button{width:100%;font-size:17px;padding:10px;border:0;border-radius:8px;background:#1d6b43;color:#fff}
form.report button:disabled{background:#8a978f}
.err{color:#c62828}
.reply{border-left:4px solid #1d6b43;padding:6px 10px;background:#f3f8f5;white-space:pre-wrap}
`;

/** The CSP source allowing one inline <style> element with exactly this text. */
export function styleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/** Public pages inline their sheet (one request on a phone); their CSP allows exactly it. */
export const PAGE_STYLE_HASH = styleHash(CSS);

const NOT_FOUND = {
  trace: ['未找到该追溯码', '请确认扫描的是包装上的追溯二维码，或直接输入码下方的追溯码。'],
  certificate: ['未找到该合格证', '请确认扫描的是合格证上的二维码。查无此证的合格证可能是伪造的，请谨慎购买。'],
  stall: ['未找到该摊位', '请确认扫描的是摊位上张贴的“一店一码”二维码。'],
  listing: ['未找到该商品链接', '请确认扫描或打开的是商家公示的溯源链接。'],
  market: ['未找到该市场', '请确认扫描的是市场信息公示栏上的二维码。'],
} as const;

export type NotFoundKind = keyof typeof NOT_FOUND;

function notFoundPage(what: NotFoundKind): string {
  const [heading, hint] = NOT_FOUND[what];
  return page('未找到追溯信息 · 天府溯源', <>
    <header class="top"><h1>天府溯源 · 产品追溯</h1></header>
    <main class="notfound">
      <h1>{heading}</h1>
      <p>{hint}</p>
      <p class="muted">如怀疑产品来源不明，可拨打 12316（农业）或 12315（市场监管）反映。</p>
    </main>
  </>);
}

/** Rendered once: a scanner guessing codes gets these pages at the rate of the code lookups. */
const NOT_FOUND_PAGES = Object.fromEntries((Object.keys(NOT_FOUND) as NotFoundKind[]).map((k) => [k, notFoundPage(k)])) as Record<NotFoundKind, string>;

/** The friendly page for unknown or malformed codes on consumer routes. */
export function renderNotFoundPage(what: NotFoundKind = 'trace'): string {
  return NOT_FOUND_PAGES[what];
}

/** Which friendly page a consumer URL's 404 shows. */
export function notFoundKindOf(url: string): NotFoundKind {
  const first = /^\/([a-z0-9]+)/.exec(url)?.[1];
  return first === 'c' ? 'certificate' : first === 's' ? 'stall' : first === 'l' ? 'listing' : first === 'm' ? 'market' : 'trace';
}

/** Consumer pages (HTML) live at the root: /t/…, /c/…, /01/…, stalls /s/…, listings /l/…, market notice boards /m/…. */
export const CONSUMER_PAGE_PATH = /^\/(t|c|01|s|l|m)(\/|$|\?)/;
