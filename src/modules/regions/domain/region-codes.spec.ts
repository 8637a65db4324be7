import { DomainError } from '../../../../libs/errors';
import { findRegion, isWithinRegion, regionPrefix, requireRegion } from './region-codes';

describe('GB/T 2260 region codes', () => {
  it('knows Sichuan counties with their Chinese names and path', () => {
    expect(findRegion('510131')).toMatchObject({ name: '蒲江县', level: 'county', fullName: '四川省成都市蒲江县' });
    expect(findRegion('511823')?.name).toBe('汉源县');
    expect(findRegion('510117')?.name).toBe('郫都区');
    expect(findRegion('510100')).toMatchObject({ name: '成都市', level: 'prefecture' });
    expect(findRegion('510000')).toMatchObject({ name: '四川省', level: 'province' });
  });

  it('drops the 市辖区 placeholder of municipalities from full names', () => {
    expect(findRegion('110105')?.fullName).toBe('北京市朝阳区');
  });

  it('rejects malformed and unknown codes with the field named', () => {
    for (const bad of ['51013', '5101311', 'abcdef', '', 510131, '999999', '510199']) {
      try {
        requireRegion(bad, 'regionCode');
        throw new Error(`accepted ${String(bad)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).code).toBe('INVALID_REGION_CODE');
        expect((e as DomainError).details?.field).toBe('regionCode');
      }
    }
  });

  it('scopes by prefix: province, prefecture, county', () => {
    expect(regionPrefix('510000')).toBe('51');
    expect(regionPrefix('510100')).toBe('5101');
    expect(regionPrefix('510131')).toBe('510131');
    expect(isWithinRegion('510131', '510100')).toBe(true);
    expect(isWithinRegion('511823', '510100')).toBe(false);
    expect(isWithinRegion('511823', '510000')).toBe(true);
  });
});
