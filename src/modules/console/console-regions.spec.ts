import { regionCodeFromText, regionText } from './console-regions';

describe('region search box', () => {
  it('turns what a person typed or picked into the code the API takes', () => {
    expect(regionCodeFromText('510131')).toBe('510131');
    expect(regionCodeFromText('四川省成都市蒲江县')).toBe('510131');
    expect(regionCodeFromText('成都市蒲江县')).toBe('510131');
    expect(regionCodeFromText('蒲江县')).toBe('510131');
    expect(regionCodeFromText(' 蒲江 ')).toBe('510131');
    expect(regionCodeFromText('都江堰')).toBe('510181');
    expect(regionCodeFromText('汶川')).toBe('513221');
    expect(regionCodeFromText('蒲江县（510131）')).toBe('510131');
    expect(regionCodeFromText('四川省')).toBe('510000');
    expect(regionCodeFromText('成都市')).toBe('510100');
    // Ambiguous or unknown: as typed, so the API names the field.
    expect(regionCodeFromText('东')).toBe('东');
    expect(regionCodeFromText('火星县')).toBe('火星县');
    expect(regionText('510131')).toBe('四川省成都市蒲江县');
  });
});
