import fc from 'fast-check';
import { addDays } from './crop-rules';
import { checkGate, GateApplication, GateInput, harvestAllowedFrom, mayDecide } from './phi-gate';

const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';
const FRUIT = '水果';
const CABBAGE = '蔬菜>叶菜类蔬菜>普通白菜';
const PORK = '肉类>畜肉>猪肉';

const input = (id: string, rules: GateInput['rules'], fields: Partial<GateInput> = {}): GateInput =>
  ({ id, name: id, kind: 'pesticide', registrationNumber: 'PD20080005', banned: false, rules, ...fields });
const app = (id: string, inputId: string, crop: string, appliedOn: string): GateApplication => ({ id, inputId, crop, appliedOn });

const deltamethrin = input('deltamethrin', [
  { category: FRUIT, intervalDays: 14, maxDose: null },
  { category: KIWI, intervalDays: 21, maxDose: null },
  { category: CABBAGE, intervalDays: 2, maxDose: null },
]);
const organicFertiliser = input('manure', [], { kind: 'fertiliser' });
const enrofloxacin = input('enrofloxacin', [{ category: '肉类', intervalDays: 10, maxDose: null }], { kind: 'veterinary_drug' });
const banned = input('carbofuran', [{ category: FRUIT, intervalDays: 30, maxDose: null }], { banned: true });
const inputs = new Map([deltamethrin, organicFertiliser, enrofloxacin, banned].map((i) => [i.id, i]));

describe('safe-interval gate (安全间隔期 / 休药期) rule table', () => {
  // Kiwi sprayed on 2026-09-01 with a 21-day interval on kiwi: harvest allowed from 2026-09-22.
  it.each([
    ['the day before', '2026-09-21', true],
    ['the first allowed day', '2026-09-22', false],
    ['the day after', '2026-09-23', false],
    ['the day of spraying', '2026-09-01', true],
  ])('kiwi harvested %s (%s): refused = %s', (_label, harvestedOn, refused) => {
    const result = checkGate({ crop: KIWI, harvestedOn }, [app('a1', 'deltamethrin', KIWI, '2026-09-01')], inputs);
    expect(result.refused).toBe(refused);
    if (refused) expect(result.intervals[0]).toMatchObject({ applicationId: 'a1', intervalDays: 21, intervalCategory: KIWI, firstAllowedDate: '2026-09-22' });
  });

  it('takes the most specific crop rule (kiwi 21 days, not fruit 14) and crosses month and year ends', () => {
    const result = checkGate({ crop: KIWI, harvestedOn: '2027-01-05' }, [app('a1', 'deltamethrin', KIWI, '2026-12-20')], inputs);
    expect(result.intervals[0]).toMatchObject({ firstAllowedDate: '2027-01-10', intervalDays: 21 });
  });

  it('with several applications reports each open one and the latest first allowed date first', () => {
    const apps = [
      app('early', 'deltamethrin', KIWI, '2026-08-01'),
      app('mid', 'deltamethrin', KIWI, '2026-09-01'),
      app('late', 'deltamethrin', KIWI, '2026-09-10'),
    ];
    const result = checkGate({ crop: KIWI, harvestedOn: '2026-09-20' }, apps, inputs);
    expect(result.intervals.map((f) => f.applicationId)).toEqual(['late', 'mid']);
    expect(harvestAllowedFrom(result)).toBe('2026-10-01');
    expect(result.applicationIds).toEqual(['early', 'mid', 'late']);
  });

  it('separates crops on one site: cabbage sprayed does not stop kiwi, and each crop has its own interval', () => {
    const apps = [app('c', 'deltamethrin', CABBAGE, '2026-09-20'), app('k', 'deltamethrin', KIWI, '2026-09-01')];
    expect(checkGate({ crop: KIWI, harvestedOn: '2026-09-22' }, apps, inputs).refused).toBe(false);
    const cabbage = checkGate({ crop: CABBAGE, harvestedOn: '2026-09-21' }, apps, inputs);
    expect(cabbage.intervals.map((f) => [f.applicationId, f.firstAllowedDate])).toEqual([['c', '2026-09-22']]);
    expect(checkGate({ crop: CABBAGE, harvestedOn: '2026-09-22' }, apps, inputs).refused).toBe(false);
  });

  it('an application on a parent category (the whole orchard of 水果) concerns a kiwi batch, with the kiwi interval', () => {
    const result = checkGate({ crop: KIWI, harvestedOn: '2026-09-15' }, [app('o', 'deltamethrin', FRUIT, '2026-09-01')], inputs);
    expect(result.intervals[0]).toMatchObject({ firstAllowedDate: '2026-09-22', intervalCategory: KIWI });
  });

  it('ignores applications after the harvest date and inputs without an interval for the crop', () => {
    const apps = [app('after', 'deltamethrin', KIWI, '2026-09-30'), app('manure', 'manure', KIWI, '2026-09-20')];
    const result = checkGate({ crop: KIWI, harvestedOn: '2026-09-21' }, apps, inputs);
    expect(result).toMatchObject({ refused: false, intervals: [], applicationIds: ['manure'] });
  });

  it.each([
    ['day before the 休药期 ends', '2026-10-10', true],
    ['first allowed slaughter day', '2026-10-11', false],
  ])('livestock withdrawal: pork %s (%s) refused = %s', (_l, harvestedOn, refused) => {
    const result = checkGate({ crop: PORK, harvestedOn }, [app('v', 'enrofloxacin', '肉类>畜肉', '2026-10-01')], inputs);
    expect(result.refused).toBe(refused);
  });

  it('refuses a banned input whatever the dates, and an override never lets it pass', () => {
    const apps = [app('b', 'carbofuran', KIWI, '2026-01-01')];
    const result = checkGate({ crop: KIWI, harvestedOn: '2026-10-01' }, apps, inputs, new Set(['b']));
    expect(result.refused).toBe(true);
    expect(result.banned).toEqual([expect.objectContaining({ applicationId: 'b', appliedOn: '2026-01-01' })]);
  });

  it('a regulator override lets the interval pass, recorded as overridden', () => {
    const apps = [app('a1', 'deltamethrin', KIWI, '2026-09-01'), app('a2', 'deltamethrin', KIWI, '2026-09-05')];
    const one = checkGate({ crop: KIWI, harvestedOn: '2026-09-20' }, apps, inputs, new Set(['a1']));
    expect(one).toMatchObject({ refused: true, overridden: true });
    const both = checkGate({ crop: KIWI, harvestedOn: '2026-09-20' }, apps, inputs, new Set(['a1', 'a2']));
    expect(both).toMatchObject({ refused: false, overridden: true });
  });
});

describe('the applications that may decide (what the database sends the gate)', () => {
  // An input whose specific rule is shorter than the general one: kiwi 7 days, fruit 30.
  const shortOnKiwi = input('short', [{ category: FRUIT, intervalDays: 30, maxDose: null }, { category: KIWI, intervalDays: 7, maxDose: null }]);
  const noInterval = input('nointerval', [{ category: KIWI, intervalDays: null, maxDose: null }]);
  const all = new Map([deltamethrin, organicFertiliser, enrofloxacin, banned, shortOnKiwi, noInterval].map((i) => [i.id, i]));
  const crops = [KIWI, FRUIT, CABBAGE, '水果>柑橘类水果>橙', PORK, '肉类>畜肉', '蔬菜'];

  it('checkGate on them finds what it finds on every application (random sites, crops, dates, overrides)', () => {
    const application = fc.record({
      inputId: fc.constantFrom(...all.keys()), crop: fc.constantFrom(...crops), daysBefore: fc.integer({ min: -3, max: 400 }),
    });
    fc.assert(fc.property(
      fc.array(application, { maxLength: 40 }), fc.constantFrom(...crops), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      (rows, crop, overrideFlags) => {
        const harvestedOn = '2026-10-01';
        const apps = rows.map((r, i) => app(`a${i}`, r.inputId, r.crop, addDays(harvestedOn, -r.daysBefore)));
        const overridden = new Set(apps.filter((_, i) => overrideFlags[i]).map((a) => a.id));
        const full = checkGate({ crop, harvestedOn }, apps, all, overridden);
        const deciding = apps.filter((a) => mayDecide(all.get(a.inputId)!, crop, a.appliedOn, harvestedOn));
        const some = checkGate({ crop, harvestedOn }, deciding, all, overridden);
        expect({ ...some, applicationIds: [] }).toEqual({ ...full, applicationIds: [] });
        expect(harvestAllowedFrom(some)).toBe(harvestAllowedFrom(full));
      },
    ), { numRuns: 300 });
  });

  it('keeps the short specific rule authoritative: kiwi sprayed 10 days before harvest passes (7 days), a fruit batch does not (30)', () => {
    const apps = [app('s', 'short', KIWI, '2026-09-21')];
    expect(mayDecide(shortOnKiwi, KIWI, '2026-09-21', '2026-10-01')).toBe(true);
    expect(checkGate({ crop: KIWI, harvestedOn: '2026-10-01' }, apps, all).refused).toBe(false);
    expect(checkGate({ crop: FRUIT, harvestedOn: '2026-10-01' }, apps, all).intervals[0]).toMatchObject({ intervalDays: 30, firstAllowedDate: '2026-10-21' });
    expect(mayDecide(shortOnKiwi, KIWI, '2026-09-01', '2026-10-01')).toBe(false);
    expect(mayDecide(noInterval, KIWI, '2026-09-30', '2026-10-01')).toBe(false);
    expect(mayDecide(banned, CABBAGE, '2025-10-02', '2026-10-01')).toBe(true);
  });
});
