import fc from 'fast-check';
import { failureWeight, seededRandom, weightedSample } from './selection';

describe('seeded weighted selection', () => {
  const candidates = Array.from({ length: 50 }, (_, i) => ({ id: `b${String(i).padStart(2, '0')}`, weight: 1 }));

  it('is reproducible from the seed, whatever the input order', () => {
    const a = weightedSample(candidates, 10, 'seed-1');
    const b = weightedSample([...candidates].reverse(), 10, 'seed-1');
    expect(b.map((c) => c.id)).toEqual(a.map((c) => c.id));
    expect(weightedSample(candidates, 10, 'seed-2').map((c) => c.id)).not.toEqual(a.map((c) => c.id));
  });

  it('picks distinct candidates, never more than there are', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 80 }), fc.string(), (count, seed) => {
      const picked = weightedSample(candidates, count, seed);
      expect(picked).toHaveLength(Math.min(count, candidates.length));
      expect(new Set(picked.map((c) => c.id)).size).toBe(picked.length);
    }));
  });

  it('favours heavier candidates (organisations with recent failures)', () => {
    const pool = [...candidates.slice(0, 40), ...candidates.slice(40).map((c) => ({ ...c, weight: failureWeight(3, 2) }))];
    let heavy = 0;
    for (let i = 0; i < 400; i++) heavy += weightedSample(pool, 5, `s${i}`).filter((c) => c.weight > 1).length;
    // 10 of 50 candidates weigh 7: far more than the 20 % a uniform draw would give.
    expect(heavy / (400 * 5)).toBeGreaterThan(0.4);
  });

  it('generates numbers in (0, 1)', () => {
    const r = seededRandom('x');
    for (let i = 0; i < 1000; i++) {
      const v = r();
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThan(1);
    }
  });

  it('caps the failure weight', () => {
    expect(failureWeight(0, 2)).toBe(1);
    expect(failureWeight(100, 2)).toBe(11);
  });
});
