import { regionRange, regionsWithin, regionTrail } from './jurisdiction';

describe('jurisdiction helpers', () => {
  it('lists a 市(州) and its counties, in code order', () => {
    const chengdu = regionsWithin('510100');
    expect(chengdu[0]).toMatchObject({ code: '510100', name: '成都市', level: 'prefecture' });
    expect(chengdu.map((r) => r.code)).toContain('510131');
    expect(chengdu.every((r) => r.code.startsWith('5101'))).toBe(true);
    expect([...chengdu.map((r) => r.code)].sort()).toEqual(chengdu.map((r) => r.code));
  });

  it('lists the province with every 市(州) before its counties', () => {
    const sichuan = regionsWithin('510000');
    expect(sichuan[0].code).toBe('510000');
    const ya = sichuan.findIndex((r) => r.code === '511800');
    expect(sichuan[ya + 1].code.startsWith('5118')).toBe(true);
    expect(sichuan.some((r) => r.code === '511823' && r.name === '汉源县')).toBe(true);
  });

  it('gives a county regulator its county alone', () => {
    expect(regionsWithin('510131').map((r) => r.code)).toEqual(['510131']);
  });

  it('trails from the scope down to the region, never above the scope', () => {
    expect(regionTrail('510131', '510000').map((r) => r.name)).toEqual(['四川省', '成都市', '蒲江县']);
    expect(regionTrail('510131', '510100').map((r) => r.name)).toEqual(['成都市', '蒲江县']);
    expect(regionTrail('510131', '510131').map((r) => r.name)).toEqual(['蒲江县']);
    expect(regionTrail('510100', null).map((r) => r.name)).toEqual(['四川省', '成都市']);
  });

  it('turns a region into the code range of everything inside it', () => {
    expect(regionRange('510000')).toEqual({ lo: '510000', hi: '519999' });
    expect(regionRange('510100')).toEqual({ lo: '510100', hi: '510199' });
    expect(regionRange('510131')).toEqual({ lo: '510131', hi: '510131' });
  });
});
