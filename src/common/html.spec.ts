import { h } from 'preact';
import { page, renderHtml, renderNotFoundPage, renderText, slotted, trustedHtml } from './html';

const HOSTILE = '<script>alert(1)</script>"onmouseover="alert(2)\'&amp;';
const BIDI = '合格\u202e格合\u202c \u2066x\u2069\u202a\u202b\u202d\u2067\u2068';

/** No element or attribute the hostile text could have opened. */
function inert(html: string): void {
  expect(html).not.toContain('<script');
  expect(html).not.toMatch(/<[^>]*\sonmouseover=/i);
  expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
}

describe('JSX views (preact-render-to-string)', () => {
  it('escapes text children', () => {
    const html = renderHtml(h('p', null, HOSTILE));
    inert(html);
    expect(html).toBe('<p>&lt;script>alert(1)&lt;/script>&quot;onmouseover=&quot;alert(2)\'&amp;amp;</p>');
  });

  it('escapes attribute values (always double-quoted)', () => {
    const html = renderHtml(h('a', { href: HOSTILE, title: HOSTILE, 'data-x': HOSTILE }, 'x'));
    inert(html);
    expect(html).toContain(`href="&lt;script>alert(1)&lt;/script>&quot;onmouseover=&quot;alert(2)'&amp;amp;"`);
    // every attribute value ends at the quote the renderer wrote
    expect(html.match(/"/g)).toHaveLength(6);
  });

  it('drops event-handler attributes even when a view passes one', () => {
    expect(renderHtml(h('p', { onclick: 'alert(1)' } as Record<string, unknown>, 'x'))).toBe('<p>x</p>');
  });

  it('drops bidirectional controls from text and attributes, as esc() did', () => {
    const html = renderHtml(h('p', { title: BIDI }, BIDI, h('b', null, BIDI)));
    inert(html);
    expect(html).toBe('<p title="合格格合 x">合格格合 x<b>合格格合 x</b></p>');
  });

  it('inserts markup only through trustedHtml', () => {
    expect(renderHtml(h('div', null, trustedHtml('<svg><rect/></svg>'), '<svg>'))).toBe('<div><svg><rect/></svg>&lt;svg></div>');
  });

  it('escapes text for slots exactly as the renderer escapes a text child', () => {
    const texts = [HOSTILE, BIDI, BIDI + HOSTILE, '', 'plain 猕猴桃 742B4XNBN9ZD3', '&&<<""\'\'>>', '&lt;already&gt;', '\u0000\n\t\r', '\ud83e\udd5d 🥝', '<\u202e>'];
    for (let c = 0; c < 0x3000; c++) texts.push(`a${String.fromCharCode(c)}b`);
    for (const text of texts) expect(renderText(text)).toBe(renderHtml(text));
  });

  it('fills slotted views with escaped text', () => {
    const view = slotted<'a' | 'b'>((slot) => h('p', { class: 'x' }, 'A ', slot('a'), h('b', null, slot('b'))));
    expect(view({ a: HOSTILE, b: 7 })).toBe(`<p class="x">A ${renderHtml(HOSTILE)}<b>7</b></p>`);
    inert(view({ a: BIDI + HOSTILE, b: BIDI }));
  });

  it('renders public pages with the one inline sheet and escaped titles', () => {
    const html = page(HOSTILE + BIDI, h('main', null, HOSTILE));
    inert(html);
    expect(html.startsWith('<!doctype html>\n<html lang="zh-CN">')).toBe(true);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html).not.toMatch(/\sstyle=/);
    expect(renderNotFoundPage('certificate')).toContain('未找到该合格证');
  });
});
