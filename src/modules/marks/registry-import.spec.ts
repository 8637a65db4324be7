import { sameValue } from './registry-import';

describe('sameValue (an import row against its stored record)', () => {
  it.each([
    ['text', 'a', 'a', true],
    ['null and undefined are both "none"', null, undefined, true],
    ['none and empty text differ', null, '', false],
    ['lists in order', ['510131', '510132'], ['510131', '510132'], true],
    ['lists out of order differ', ['510132', '510131'], ['510131', '510132'], false],
    ['jsonb objects with keys reordered', { minLat: 1, maxLat: 2 }, { maxLat: 2, minLat: 1 }, true],
    ['an object and a list', { 0: 'a' }, ['a'], false],
    ['a missing key', { minLat: 1 }, { minLat: 1, maxLat: 2 }, false],
    ['numbers and their text differ', 1, '1', false],
  ])('%s', (_name, a, b, same) => {
    expect(sameValue(a, b)).toBe(same);
    expect(sameValue(b, a)).toBe(same);
  });
});
