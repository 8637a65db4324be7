import { badgeState, badgeSvg } from './badge';

describe('listing badge', () => {
  const ok = { lotCode: '2611270A3F', status: 'active', certificate: { number: '510131-20261127-00001', status: 'valid' } };
  it('is green only when every shipped batch is sellable and, where required, certified', () => {
    expect(badgeState([ok], true)).toBe('ok');
    expect(badgeState([{ ...ok, certificate: null }], false)).toBe('ok');
    expect(badgeState([{ ...ok, certificate: null }], true)).toBe('uncertified');
    expect(badgeState([{ ...ok, certificate: { number: 'x', status: 'voided' } }], true)).toBe('uncertified');
    expect(badgeState([ok, { ...ok, status: 'on_hold' }], true)).toBe('held');
    expect(badgeState([{ ...ok, status: 'on_hold' }, { ...ok, status: 'recalled' }], true)).toBe('recalled');
    expect(badgeState([], false)).toBe('uncertified');
  });
  it('escapes text and turns red', () => {
    const svg = badgeSvg('held', '<&>');
    expect(svg).toContain('#c62828');
    expect(svg).toContain('&lt;&amp;&gt;');
    expect(badgeSvg('ok', '2611270A3F')).toContain('#1d6b43');
  });
});
