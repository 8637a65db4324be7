import fc from 'fast-check';
import { renderText } from './html';
import { findTextProblem, MAX_DEPTH, textProblem } from './text-rules';

describe('text rules', () => {
  it.each([
    ['a\u0000b', 'no_nul'],
    ['a\ud800b', 'well_formed'],
    ['\udc00', 'well_formed'],
    ['名\u0007称', 'no_control'],
    ['\u001b[31m', 'no_control'],
    ['\u007f', 'no_control'],
    ['\u0085', 'no_control'],
    ['\u009b', 'no_control'],
    ['合格\u202e格合', 'no_bidi'],
    ['\u2066x\u2069', 'no_bidi'],
  ])('refuses %j (%s) everywhere', (text, rule) => {
    expect(textProblem(text)).toBe(rule);
    expect(textProblem(text, false)).toBe(rule);
  });

  it('lets free text hold line breaks and tabs, and names none', () => {
    expect(textProblem('第一行\r\n第二行\t完')).toBeUndefined();
    expect(textProblem('蒲江\n猕猴桃', false)).toBe('single_line');
    expect(textProblem('蒲江\t猕猴桃', false)).toBe('single_line');
  });

  it('accepts any well-formed text without control or bidi characters (CJK, emoji, astral planes)', () => {
    const refused = (n: number) => n < 0x20 || (n >= 0x7f && n <= 0x9f) || (n >= 0x202a && n <= 0x202e) || (n >= 0x2066 && n <= 0x2069);
    const allowed = fc.string({ unit: 'binary' }).filter((s) => [...s].every((c) => !refused(c.codePointAt(0)!)));
    fc.assert(fc.property(allowed, (s) => textProblem(s, false) === undefined), { seed: 13, numRuns: 500 });
    expect(textProblem('蒲江猕猴桃🥝 𠀀 Ⅻ')).toBeUndefined();
  });

  it('finds the first bad string in nested values, keys included, and names it as the validation pipe does', () => {
    expect(findTextProblem({ name: 'ok', results: [{ analyte: 'x' }, { analyte: 'a\u0000' }] })).toEqual({
      field: 'results.1.analyte', rule: 'no_nul', message: 'results.1.analyte must not contain NUL characters',
    });
    expect(findTextProblem({ extension: { 'k\u0000': 1 } })).toMatchObject({ field: 'extension', rule: 'no_nul' });
    expect(findTextProblem('line 1\nline\u00002', 'body')).toMatchObject({ field: 'body', rule: 'no_nul' });
    expect(findTextProblem({ a: 1, b: [true, null, 'fine\n'] })).toBeUndefined();
  });

  it('refuses nesting deeper than MAX_DEPTH without recursing (no stack overflow at 100,000 levels)', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(findTextProblem({ name: deep })).toMatchObject({ field: 'name', rule: 'max_depth' });
    let array: unknown = [];
    for (let i = 0; i < 100_000; i++) array = [array];
    expect(findTextProblem(array)).toMatchObject({ field: '', rule: 'max_depth' });
    let ok: unknown = 'x';
    for (let i = 0; i < MAX_DEPTH - 1; i++) ok = [ok];
    expect(findTextProblem(ok)).toBeUndefined();
  });

  it('drops bidirectional overrides from text shown on pages (rows stored before they were refused)', () => {
    expect(renderText('合格\u202e格合\u202c <b> \u2067x\u2069')).toBe('合格格合 &lt;b> x');
  });
});
