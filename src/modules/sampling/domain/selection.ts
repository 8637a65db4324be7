/**
 * Seeded, weighted random selection of sampling tasks. Same seed + same candidates (in any order)
 * → same choice, so a period's draw can be replayed and audited.
 */

/** 32-bit hash of a string (FNV-1a), to seed the generator. */
export function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast PRNG with a 32-bit state; returns numbers in (0, 1). */
export function seededRandom(seed: string): () => number {
  let state = hashSeed(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return r === 0 ? Number.MIN_VALUE : r;
  };
}

export interface Candidate {
  id: string;
  weight: number;
}

/**
 * Picks `count` distinct candidates, each with probability proportional to its weight
 * (Efraimidis–Spirakis: key = u^(1/w), keep the largest keys). Candidates are sorted by id first,
 * so the input order never changes the result.
 */
export function weightedSample<T extends Candidate>(candidates: readonly T[], count: number, seed: string): T[] {
  if (count <= 0) return [];
  const random = seededRandom(seed);
  const sorted = [...candidates].filter((c) => c.weight > 0).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const keyed = sorted.map((c) => ({ c, key: Math.log(random()) / c.weight }));
  keyed.sort((a, b) => b.key - a.key || (a.c.id < b.c.id ? -1 : 1));
  return keyed.slice(0, count).map((k) => k.c);
}

/** Weight of an organisation's batch: 1, plus `factor` for each failed sample in the look-back window (capped). */
export function failureWeight(recentFailures: number, factor: number, cap = 5): number {
  return 1 + factor * Math.min(Math.max(0, recentFailures), cap);
}
